namespace Gpunet.Coordinator.Compliance;

/// <summary>What one enforcement pass did.</summary>
internal sealed record EnforcementResult(IReadOnlyList<EnforcedItem> HostsPaused, IReadOnlyList<EnforcedItem> LeasesEnded);
