using Gpunet.Coordinator.Agents;
using Gpunet.Coordinator.Hosts;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;
using Gpunet.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Phase = Gpunet.Protocol.LeaseReport.Types.Phase;

namespace Gpunet.IntegrationTests.Marketplace;

/// <summary>An agent that stops reading its stream costs only its own session: the market never waits on it.</summary>
public sealed class StalledAgentTests
{
    [Fact]
    public async Task AStalledAgentStream_DoesNotDelayPlacementsOnOtherHosts()
    {
        await using var c = await TestCoordinator.StartAsync();
        await using var stalled = await ScriptedAgent.ConnectAsync(c, "stalled", reads: false);
        // Reports of leases the host does not run: each is answered with a stop naming the lease, 16 KiB apiece, far
        // more than the stream's flow-control window holds while the agent reads nothing (and fewer than its queue holds).
        await SendForeignReportsAsync(stalled, 200, 16 * 1024);

        await using var healthy = await c.ReadyAgentAsync();
        var host = await healthy.HostIdAsync();
        using var customer = await c.CustomerAsync(Wallet.Create());
        var order = await customer.RentAsync(new
        {
            gpu = new[] { "H100" },
            count = 1,
            maxPrice = 3m,
            host,
            queueTimeoutMinutes = 60,
            command = new[] { "/bin/sh", "-c", "sleep 60" },
        }).WaitAsync(TimeSpan.FromSeconds(30)); // a generous bound: the market must not be stuck behind the stalled stream

        Assert.True(order.Placed());
        Assert.Equal(host, order.Leases[0].HostId);
        await customer.WaitForStateAsync(order.LeaseId, "Running");
    }

    [Fact]
    public async Task AnAgentThatStopsReading_LosesItsSession_WhenItsQueueIsFull()
    {
        await using var c = await TestCoordinator.StartAsync();
        await using var stalled = await ScriptedAgent.ConnectAsync(c, "overflowing", reads: false);
        Assert.True(c.App.Services.GetRequiredService<HostRegistry>().TryGet(stalled.HostId, out var entry));

        try
        {
            await SendForeignReportsAsync(stalled, AgentSession.QueueCapacity + 200, 2 * 1024);
        }
        catch (Exception e) when (e is System.Net.Http.HttpProtocolException or Grpc.Core.RpcException or IOException)
        {
            // The coordinator may close the session while the agent is still writing: what the test waits for.
        }

        await Eventually.Async(() => Task.FromResult(entry.Connected), connected => !connected, "the stalled session to be closed");
    }

    private static async Task SendForeignReportsAsync(ScriptedAgent agent, int count, int idLength)
    {
        for (var i = 0; i < count; i++)
        {
            var leaseId = $"{i}-{new string('x', idLength)}";
            await agent.SendAsync(new AgentMessage { LeaseReport = new LeaseReport { LeaseId = leaseId, Phase = Phase.Running } });
        }
    }
}
