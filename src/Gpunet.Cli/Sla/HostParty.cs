namespace Gpunet.Cli.Sla;

/// <summary>A host a report covers and its operator's wallet (null when the coordinator no longer knows the host).</summary>
internal sealed record HostParty(string HostId, string? Operator);
