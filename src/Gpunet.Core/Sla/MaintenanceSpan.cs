namespace Gpunet.Core.Sla;

/// <summary>A declared maintenance window of a host, [<paramref name="From"/>, <paramref name="To"/>).</summary>
public sealed record MaintenanceSpan(DateTimeOffset From, DateTimeOffset To, string Reason);
