namespace Gpunet.Contracts.Compliance;

/// <summary>A host paused or a lease ended by compliance, and why.</summary>
public sealed record EnforcedItem(string Id, string Reason);
