namespace Gpunet.Coordinator.Ledger;

/// <summary>What <see cref="EpochService"/> reads to settle an epoch: the port over the stored usage, leases, host
/// transitions, tranches, unbonding and slash events (<see cref="StoredEpochInputs"/>; an in-memory one in tests).</summary>
internal interface IEpochInputs
{
    /// <summary>The network's first epoch: <paramref name="proposed"/> if none is recorded yet (then recorded), else
    /// the recorded one, so every coordinator agrees.</summary>
    Task<long> FirstEpochAsync(long proposed, CancellationToken ct);

    /// <summary>The last settled epoch; null before the first settlement.</summary>
    Task<long?> LastSettledAsync(CancellationToken ct);

    /// <summary>Whether <paramref name="epoch"/> is settled.</summary>
    Task<bool> IsSettledAsync(long epoch, CancellationToken ct);

    /// <summary>Everything not yet settled that the epoch [<paramref name="start"/>, <paramref name="end"/>) takes.</summary>
    Task<EpochRows> ReadAsync(DateTimeOffset start, DateTimeOffset end, CancellationToken ct);
}
