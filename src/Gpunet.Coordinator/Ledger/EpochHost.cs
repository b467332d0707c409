namespace Gpunet.Coordinator.Ledger;

/// <summary>A registered container as settlement sees it: its id, its operator's address and its GPUs' models.</summary>
internal sealed record EpochHost(string Id, string Operator, IReadOnlyList<string> Models);
