namespace Gpunet.Coordinator.Ledger;

/// <summary>A registered container as settlement sees it: its id, its operator's address and how many GPUs of each
/// model it has.</summary>
internal sealed record EpochHost(string Id, string Operator, IReadOnlyList<(string Model, int Count)> Gpus);
