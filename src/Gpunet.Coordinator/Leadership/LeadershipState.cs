using System.Data.Common;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Coordination;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Leadership;

/// <summary>This coordinator's standing in the leader election, as <see cref="LeaderElection"/> last found it.</summary>
/// <remarks>Thread-safe: the election writes under a lock, duties and the API read. A holder counts itself the leader
/// for one lease length from the start of its last successful renewal: followers count the same length from after they
/// read that renewal, so its belief ends first (on clocks that run at the same rate).</remarks>
internal sealed class LeadershipState(IOptions<LeadershipOptions> options, TimeProvider time) : ILeadership
{
    private readonly Lock _gate = new();
    private readonly TimeSpan _length = options.Value.LeaderLease;
    private LeaderFence? _held;
    private long _renewedAt;
    private LeaderLease? _seen;

    /// <summary>This coordinator's id in the lease.</summary>
    public string CoordinatorId { get; } = options.Value.CoordinatorId is { Length: > 0 } id
        ? id
        : "coordinator-" + System.Security.Cryptography.RandomNumberGenerator.GetHexString(12, lowercase: true);

    public LeaderFence? Fence
    {
        get
        {
            lock (_gate)
                return _held is not null && time.GetElapsedTime(_renewedAt) < _length ? _held : null;
        }
    }

    /// <summary>The lease this coordinator holds, lapsed or not (what it renews).</summary>
    public LeaderFence? Held
    {
        get
        {
            lock (_gate)
                return _held;
        }
    }

    /// <summary>Who leads and with which token, as last read or won; null before the first read.</summary>
    public (string Holder, long Token)? Leader
    {
        get
        {
            lock (_gate)
                return _held is { } mine ? (mine.Holder, mine.Token) : _seen is { Released: false } seen ? (seen.Holder, seen.Token) : null;
        }
    }

    /// <summary>Won or renewed the lease with a statement sent at <paramref name="at"/> (a timestamp of the clock).</summary>
    public void Holds(LeaderFence fence, long at)
    {
        lock (_gate)
            (_held, _renewedAt) = (fence, at);
    }

    /// <summary>Another coordinator holds the lease (or nobody): as read.</summary>
    public void Follows(LeaderLease? seen)
    {
        lock (_gate)
            (_held, _seen) = (null, seen);
    }

    public async Task FenceAsync(LeaderFence fence, DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(fence);
        await using var db = GpunetDb.On(connection, transaction);
        await LeadershipStore.CheckAsync(db, fence, ct);
    }
}
