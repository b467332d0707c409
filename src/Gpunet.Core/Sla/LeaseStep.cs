using Gpunet.Core.Marketplace;

namespace Gpunet.Core.Sla;

/// <summary>One step of a lease's stored history: from <paramref name="At"/> it was in <paramref name="State"/>, on
/// <paramref name="HostId"/> (null while it waited for a host).</summary>
public sealed record LeaseStep(DateTimeOffset At, LeaseState State, string? HostId, string Reason);
