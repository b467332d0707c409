namespace Gpunet.Core.Identity;

/// <summary>What <see cref="ChallengeBook.TryIssue"/> did: the challenge issued, or why none was.</summary>
/// <param name="Challenge">The new challenge; null when refused.</param>
/// <param name="Refusal">Why none was issued; <see cref="ChallengeRefusal.None"/> when one was.</param>
/// <param name="Replaced">The nonce of the same address's oldest challenge that this one replaced, if any.</param>
public readonly record struct ChallengeIssue(Challenge? Challenge, ChallengeRefusal Refusal, string? Replaced = null)
{
    /// <summary>True when a challenge was issued.</summary>
    public bool Issued => Challenge is not null;
}
