using Gpunet.Core.Identity;

namespace Gpunet.Core.Verification;

/// <summary>Whom a reported probe refusal counts against (<see cref="ProbeRefusalClaims.Attribute"/>).</summary>
/// <param name="Checker">The checker it counts against; null when it counts against nobody.</param>
/// <param name="Reason">The refusal's reason when it counts.</param>
/// <param name="Why">When it counts against nobody: why, in words; empty otherwise.</param>
public sealed record ProbeRefusalAttribution(Address? Checker, ProbeRefusalReason? Reason, string Why)
{
    /// <summary>Whether it counts against a checker.</summary>
    public bool Counts => Checker is not null;
}
