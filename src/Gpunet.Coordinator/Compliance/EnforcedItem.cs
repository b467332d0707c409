namespace Gpunet.Coordinator.Compliance;

/// <summary>A host paused or a lease ended by compliance, and why.</summary>
internal sealed record EnforcedItem(string Id, string Reason);
