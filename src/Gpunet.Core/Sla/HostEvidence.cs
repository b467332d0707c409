namespace Gpunet.Core.Sla;

/// <summary>What the store holds of one host that availability reads: its state changes, its decided checks and its
/// declared maintenance, each list earliest first.</summary>
public sealed record HostEvidence(IReadOnlyList<HostStep> Steps, IReadOnlyList<CheckFact> Checks, IReadOnlyList<MaintenanceSpan> Maintenance)
{
    /// <summary>A host nothing is stored of.</summary>
    public static HostEvidence None { get; } = new([], [], []);
}
