namespace Gpunet.Core.Sla;

/// <summary>A lease's downtime window and the host it happened on (null: it waited for a host).</summary>
public sealed record HostedDowntime(DowntimeWindow Window, string? HostId);
