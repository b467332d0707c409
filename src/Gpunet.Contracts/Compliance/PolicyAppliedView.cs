namespace Gpunet.Contracts.Compliance;

/// <summary>A policy applied: its version, and the hosts paused and leases ended by it.</summary>
public sealed record PolicyAppliedView(string Version, bool Unchanged, IReadOnlyList<EnforcedItem> HostsPaused, IReadOnlyList<EnforcedItem> LeasesEnded);
