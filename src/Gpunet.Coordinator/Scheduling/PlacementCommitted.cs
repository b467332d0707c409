
namespace Gpunet.Coordinator.Scheduling;

/// <summary>The placement is stored; the host's capacity row is now at <paramref name="Version"/>.</summary>
internal sealed record PlacementCommitted(string AllocationId, string HostId, long Version) : PlacementResult(AllocationId, HostId);
