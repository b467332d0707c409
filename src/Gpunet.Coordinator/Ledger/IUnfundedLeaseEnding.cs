namespace Gpunet.Coordinator.Ledger;

/// <summary>Ends a lease whose customer can no longer fund it: what settlement asks of the market.</summary>
internal interface IUnfundedLeaseEnding
{
    /// <summary>Ends <paramref name="leaseId"/> for exhausted funds, <paramref name="detail"/> saying why.</summary>
    Task EndForFundsAsync(string leaseId, string detail);
}
