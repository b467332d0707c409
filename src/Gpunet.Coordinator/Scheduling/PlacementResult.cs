
namespace Gpunet.Coordinator.Scheduling;

/// <summary>What became of a placement commit.</summary>
internal abstract record PlacementResult(string AllocationId, string HostId);
