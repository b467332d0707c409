using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;

namespace Gpunet.Coordinator.Ledger;

/// <summary>The SLA credits an epoch's settlement pays (the Sla module reckons them from the store).</summary>
internal interface IEpochCredits
{
    /// <summary>Every tiered lease short of its promise by the end of [<paramref name="start"/>, <paramref name="end"/>),
    /// each with the row settlement completes (fees, due, paid) and writes in its transaction.</summary>
    Task<IReadOnlyList<(SlaCreditClaim Claim, SlaCreditRecord Row)>> ReckonAsync(long epoch, DateTimeOffset start, DateTimeOffset end, CancellationToken ct);
}
