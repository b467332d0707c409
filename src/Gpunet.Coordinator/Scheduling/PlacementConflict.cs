
namespace Gpunet.Coordinator.Scheduling;

/// <summary>The host's capacity row was not at the expected version (another coordinator, or an earlier failed
/// placement, changed it): nothing was stored; refresh the host and decide again.</summary>
internal sealed record PlacementConflict(string AllocationId, string HostId) : PlacementResult(AllocationId, HostId);
