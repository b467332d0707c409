namespace Gpunet.Coordinator.Marketplace;

/// <summary>One step of a lease's history: a state it entered, on which host, and why.</summary>
public sealed record LeaseEventView(DateTimeOffset At, string State, string? HostId, string Reason);
