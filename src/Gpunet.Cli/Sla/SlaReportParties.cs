namespace Gpunet.Cli.Sla;

/// <summary>Who a report is between, as its PDF names them: the network and the coordinator that measured, the customer
/// (null for a host report: a host serves many) and the hosts with their operators.</summary>
internal sealed record SlaReportParties(string Network, string CoordinatorUrl, string? Customer, IReadOnlyList<HostParty> Hosts);
