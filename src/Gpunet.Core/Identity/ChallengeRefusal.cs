namespace Gpunet.Core.Identity;

/// <summary>Why <see cref="ChallengeBook.TryIssue"/> issued no challenge.</summary>
public enum ChallengeRefusal
{
    /// <summary>Issued.</summary>
    None,

    /// <summary>The source already holds <see cref="ChallengeLimits.PerSource"/> open challenges.</summary>
    SourceBusy,

    /// <summary>The book holds <see cref="ChallengeLimits.MaxOpen"/> open challenges.</summary>
    Full,
}
