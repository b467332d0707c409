using Gpunet.Core.Ledger;

namespace Gpunet.Coordinator.Ledger;

/// <summary>Why transfers were made, where a module keeps it (the Sla module: an SLA credit's lease and breach).</summary>
internal interface ITransferReasons
{
    /// <summary>The reasons known for <paramref name="ids"/>; ids with none are left out.</summary>
    Task<IReadOnlyDictionary<TransferId, string>> ReasonsAsync(IReadOnlyList<TransferId> ids, CancellationToken ct);
}
