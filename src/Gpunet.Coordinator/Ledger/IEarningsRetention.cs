namespace Gpunet.Coordinator.Ledger;

/// <summary>Forgets hosts' earnings rows older than the retention, after each settlement (<see cref="EpochService"/>).</summary>
internal interface IEarningsRetention
{
    /// <summary>Deletes the rows of every epoch that ended before the retention's cutoff; returns how many went.</summary>
    Task<int> SweepAsync(CancellationToken ct);
}
