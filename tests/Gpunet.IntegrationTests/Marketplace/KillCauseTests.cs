using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;
using Gpunet.Protocol;
using KillCause = Gpunet.Protocol.LeaseReport.Types.KillCause;
using Phase = Gpunet.Protocol.LeaseReport.Types.Phase;

namespace Gpunet.IntegrationTests.Marketplace;

/// <summary>A lease whose workload the agent killed ends by the typed cause the agent reports; an agent from before the
/// typed cause is read by its words.</summary>
public sealed class KillCauseTests
{
    [Theory]
    [InlineData(KillCause.MemoryLimit, "the kernel's OOM killer ended it", "limit-exceeded")]
    [InlineData(KillCause.TimeLimit, "ran for its whole hour", "term-ended")]
    [InlineData(KillCause.StopRequested, "memory limit named in a stop the coordinator asked for", "workload-lost")]
    [InlineData(KillCause.Unspecified, "memory limit: used 90 MiB of 64 MiB", "limit-exceeded")]
    public async Task AKilledReport_EndsTheLeaseByItsCause(KillCause cause, string detail, string endReason)
    {
        await using var c = await TestCoordinator.StartAsync();
        await using var agent = await ScriptedAgent.ConnectAsync(c, "killed-" + cause);
        await c.WaitForStateAsync(agent.HostId, "Ready");
        using var customer = await c.CustomerAsync(Wallet.Create());
        var order = await customer.RentAsync(MarketClient.Order("sleep 60"));
        await agent.CommandAsync(command => command.StartLease?.LeaseId == order.LeaseId);

        await agent.SendAsync(Report(order.LeaseId, Phase.Running, KillCause.Unspecified, ""));
        await customer.WaitForStateAsync(order.LeaseId, "Running");
        await agent.SendAsync(Report(order.LeaseId, Phase.Killed, cause, detail));

        var ended = await customer.WaitForLeaseAsync(order.LeaseId, l => l.EndReason is not null, "the lease to end");
        Assert.Equal(endReason, ended.EndReason);
        Assert.Contains(detail, ended.StateReason, StringComparison.Ordinal);
    }

    private static AgentMessage Report(string leaseId, Phase phase, KillCause cause, string detail) => new()
    {
        LeaseReport = new LeaseReport
        {
            LeaseId = leaseId,
            Phase = phase,
            KillCause = cause,
            Detail = detail,
            AtUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        },
    };
}
