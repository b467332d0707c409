using System.Data.Common;

namespace Gpunet.Coordinator.Leadership;

/// <summary>Whether this coordinator leads the network now, and the fence a duty's commit checks. The network's duties
/// (epoch settlement, the host monitor's transitions, the compliance sweep, the market's time-outs) run only on the
/// leader.</summary>
internal interface ILeadership
{
    /// <summary>The fence to carry into a duty's commit while this coordinator leads; null while it follows.</summary>
    LeaderFence? Fence { get; }

    /// <summary>Checks in the caller's transaction that <paramref name="fence"/> still holds the lease, and keeps the
    /// lease's row locked until that transaction ends (so nobody takes it in between); throws
    /// <see cref="LeadershipLostException"/> when another coordinator took it.</summary>
    Task FenceAsync(LeaderFence fence, DbConnection connection, DbTransaction transaction, CancellationToken ct);
}
