namespace Gpunet.Core.Hosts;

/// <summary>Whether a registration shows a cloned machine, and what to tell the operator and to hold the host with.</summary>
/// <param name="Refusal">Why the newer registration is refused; null when it is accepted.</param>
/// <param name="Flag">What the host is held with (its two places); null when it is accepted.</param>
public sealed record CloneDecision(string? Refusal, string? Flag)
{
    /// <summary>The fingerprint is seen from two places at once.</summary>
    public bool Cloned => Refusal is not null;
}
