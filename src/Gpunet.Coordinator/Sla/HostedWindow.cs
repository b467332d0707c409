using Gpunet.Core.Sla;

namespace Gpunet.Coordinator.Sla;

/// <summary>A downtime window and the host it happened on (null: the lease waited for a host).</summary>
internal sealed record HostedWindow(DowntimeWindow Window, string? HostId);
