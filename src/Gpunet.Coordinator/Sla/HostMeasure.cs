using Gpunet.Core.Sla;

namespace Gpunet.Coordinator.Sla;

/// <summary>What the store shows of one host in a period: the time it was registered in it, and its downtime windows
/// (maintenance included: it counts against the host's record).</summary>
internal sealed record HostMeasure(string HostId, DateTimeOffset From, DateTimeOffset To, double ObservedSeconds, IReadOnlyList<DowntimeWindow> Windows);
