using Gpunet.Coordinator.Storage;
using Gpunet.Core.Marketplace;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>Every change of a lease's state passes here: the move is checked by <see cref="LeaseLifecycle.CanMove"/>
/// and stored with its history step. An illegal move is refused and logged, never written.</summary>
/// <remarks>Stateless and thread-safe. The store checks each change against the version the lease was read at, so a
/// lease another coordinator moved first is not moved again here.</remarks>
internal sealed partial class LeaseDriver(LeaseStore store, TimeProvider time, ILogger log)
{
    /// <summary>Moves every lease of <paramref name="leases"/> to <paramref name="to"/>, with <paramref name="change"/>
    /// applied to its fields, in one transaction. False, writing nothing and changing no lease, when a move is illegal;
    /// false, writing nothing, when a lease moved on in the store since it was read.</summary>
    public Task<bool> MoveAsync(IReadOnlyList<LeaseRecord> leases, LeaseState to, Action<LeaseRecord> change, CancellationToken ct) =>
        MoveAsync(leases, to, change, null, ct);

    /// <summary>Like <see cref="MoveAsync(IReadOnlyList{LeaseRecord}, LeaseState, Action{LeaseRecord}, CancellationToken)"/>,
    /// as the leader <paramref name="fence"/> names when given (a duty: refused when another coordinator leads).</summary>
    public async Task<bool> MoveAsync(IReadOnlyList<LeaseRecord> leases, LeaseState to, Action<LeaseRecord> change, Leadership.LeaderFence? fence, CancellationToken ct)
    {
        foreach (var lease in leases)
        {
            if (!CanMove(lease, to))
                return false;
        }

        foreach (var lease in leases)
            Apply(lease, to, change);
        return await store.SaveAsync(leases, time.GetUtcNow(), fence, ct);
    }

    /// <summary>Moves <paramref name="lease"/> to <paramref name="to"/> in memory only, to be stored with others by
    /// <see cref="SaveStagedAsync"/>. False, changing nothing, when the move is illegal.</summary>
    public bool Stage(LeaseRecord lease, LeaseState to, Action<LeaseRecord> change)
    {
        if (!CanMove(lease, to))
            return false;
        Apply(lease, to, change);
        return true;
    }

    /// <summary>Ends <paramref name="lease"/> in memory only; see <see cref="Stage"/> and <see cref="EndAsync(LeaseRecord, LeaseEndReason, string, int?, CancellationToken)"/>.</summary>
    public bool StageEnd(LeaseRecord lease, LeaseEndReason reason, string detail, int? exitCode) =>
        Stage(lease, LeaseLifecycle.EndState(reason), Ended(reason, detail, exitCode, time.GetUtcNow()));

    /// <summary>Stores groups of leases moved by <see cref="Stage"/>, each lease with its history step: all in one
    /// transaction, or, when a lease moved on in the store since it was read (another coordinator), each group alone.
    /// Returns which groups were stored; a group not stored is as it was in the store, and should be read again.</summary>
    public async Task<bool[]> SaveStagedAsync(IReadOnlyList<IReadOnlyList<LeaseRecord>> groups, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var saved = new bool[groups.Count];
        if (groups.Count == 0 || await store.SaveAsync([.. groups.SelectMany(g => g)], now, ct))
        {
            Array.Fill(saved, true);
            return saved;
        }

        for (var i = 0; i < groups.Count; i++)
            saved[i] = await store.SaveAsync(groups[i], now, ct);
        return saved;
    }

    private bool CanMove(LeaseRecord lease, LeaseState to)
    {
        var from = Enum.Parse<LeaseState>(lease.State);
        if (LeaseLifecycle.CanMove(from, to))
            return true;
        LogRefused(log, lease.Id, from, to);
        return false;
    }

    private static void Apply(LeaseRecord lease, LeaseState to, Action<LeaseRecord> change)
    {
        change(lease);
        // Only a running workload is reached: an end, or a move to another host (whose next attempt reports a port
        // of its own), takes the endpoint away.
        if (to != LeaseState.Running)
            lease.Endpoint = null;
        lease.State = to.ToString();
    }

    private static Action<LeaseRecord> Ended(LeaseEndReason reason, string detail, int? exitCode, DateTimeOffset now) => l =>
    {
        l.EndReason = LeaseLifecycle.Spell(reason);
        l.StateReason = detail;
        l.EndedAt = now;
        l.ExitCode = exitCode;
    };

    /// <summary>Starts <paramref name="lease"/> again as <paramref name="attempt"/> on its placement
    /// (<see cref="LeaseLifecycle.CanStartAgain"/>), with its history step. False, writing nothing, when it may not or
    /// when it moved on in the store since it was read.</summary>
    public async Task<bool> StartAgainAsync(LeaseRecord lease, int attempt, string reason, CancellationToken ct)
    {
        var state = Enum.Parse<LeaseState>(lease.State);
        if (!LeaseLifecycle.CanStartAgain(state))
        {
            LogRefused(log, lease.Id, state, LeaseState.Starting);
            return false;
        }

        Apply(lease, LeaseState.Starting, l => (l.Attempt, l.StateReason) = (attempt, reason));
        return await store.SaveAsync([lease], time.GetUtcNow(), ct);
    }

    /// <summary>Moves one lease; see <see cref="MoveAsync(IReadOnlyList{LeaseRecord}, LeaseState, Action{LeaseRecord}, CancellationToken)"/>.</summary>
    public Task<bool> MoveAsync(LeaseRecord lease, LeaseState to, Action<LeaseRecord> change, CancellationToken ct) =>
        MoveAsync([lease], to, change, ct);

    /// <summary>Ends a lease with <paramref name="reason"/> (the end state it gives), <paramref name="detail"/> and the
    /// workload's exit code if it exited.</summary>
    public Task<bool> EndAsync(LeaseRecord lease, LeaseEndReason reason, string detail, int? exitCode, CancellationToken ct) =>
        EndAsync(lease, reason, detail, exitCode, null, ct);

    /// <summary>Ends a lease as <see cref="EndAsync(LeaseRecord, LeaseEndReason, string, int?, CancellationToken)"/>, as
    /// the leader <paramref name="fence"/> names when given.</summary>
    public Task<bool> EndAsync(LeaseRecord lease, LeaseEndReason reason, string detail, int? exitCode, Leadership.LeaderFence? fence, CancellationToken ct) =>
        MoveAsync([lease], LeaseLifecycle.EndState(reason), Ended(reason, detail, exitCode, time.GetUtcNow()), fence, ct);

    /// <summary>Stores a running lease's new endpoint (its host now reached at another address); its state and history
    /// stay. False, writing nothing, when the lease moved on since it was read.</summary>
    public Task<bool> NoteEndpointAsync(LeaseRecord lease, string endpoint, CancellationToken ct) =>
        store.SaveEndpointAsync(lease, endpoint, ct);

    /// <summary>Stores why queued leases still wait; their state stays Pending. Leases no longer pending are skipped.</summary>
    public async Task NoteWaitingAsync(IReadOnlyList<LeaseRecord> leases, string reason, CancellationToken ct)
    {
        var pending = leases.Where(l => l.State == nameof(LeaseState.Pending)).ToList();
        foreach (var lease in pending)
            lease.StateReason = reason;
        if (pending.Count > 0)
            await store.SaveAsync(pending, time.GetUtcNow(), ct);
    }

    [LoggerMessage(EventId = 4041, Level = LogLevel.Error, Message = "Lease {LeaseId}: the move from {From} to {To} is not allowed; refused")]
    private static partial void LogRefused(ILogger logger, string leaseId, LeaseState from, LeaseState to);
}
