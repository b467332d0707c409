using System.Data.Common;
using Gpunet.Coordinator.Leadership;

namespace Gpunet.IntegrationTests.Ledger.Ports;

/// <summary>The leadership of a network of one coordinator kept in memory: it always leads, and its fence always holds
/// (the in-memory stores have no transaction to check it in).</summary>
internal sealed class SoleLeader : ILeadership
{
    public LeaderFence? Fence { get; } = new("port-test", 1);

    public Task FenceAsync(LeaderFence fence, DbConnection connection, DbTransaction transaction, CancellationToken ct) => Task.CompletedTask;
}
