using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Hosts;

public sealed class AgentLifecycleTests
{
    [Fact]
    public async Task Agent_Registers_HostBecomesReadyWithItsGpus()
    {
        await using var coordinator = await TestCoordinator.StartAsync();
        await using var agent = TestAgent.Start(coordinator.ApiUrl, "H100-SXM5-80GB:8", "DE");

        var id = await agent.HostIdAsync();
        var host = await coordinator.WaitForStateAsync(id, "Ready");

        Assert.Equal(agent.Wallet.Address.Value, host.Address);
        Assert.Equal("DE", host.Country);
        Assert.Equal(8, host.Gpus.Count);
        Assert.All(host.Gpus, g =>
        {
            Assert.Equal("H100-SXM5-80GB", g.Model);
            Assert.Equal(80, g.VramGb);
            Assert.StartsWith("GPU-", g.Uuid, StringComparison.Ordinal);
        });
        Assert.Equal(8, host.Gpus.Select(g => g.Uuid).Distinct().Count());
        Assert.True(host.Connected);

        // Heartbeats carry per-GPU status.
        host = await Eventually.Async(() => coordinator.HostAsync(id), h => h.Gpus.All(g => g.MemoryUsedMib is not null), "GPU status");
        Assert.All(host.Gpus, g => Assert.NotNull(g.TemperatureC));

        // A transition is applied in memory first and stored by the monitor just after: wait for the store to have it.
        var history = await Eventually.Async<List<TransitionView>>(async () => await coordinator.TransitionsAsync(id), h => h.Count >= 2, "the stored transitions");
        Assert.Equal(["New→Pending", "Pending→Ready"], history.Select(t => $"{t.From}→{t.To}").ToArray());
        Assert.Contains("8×H100-SXM5-80GB", history[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecondStream_ForSameHost_SupersedesTheFirst()
    {
        await using var coordinator = await TestCoordinator.StartAsync();
        var first = TestAgent.Start(coordinator.ApiUrl, "A100-SXM4-80GB:4", "FI", region: "Uusimaa");
        var id = await first.HostIdAsync();
        await coordinator.WaitForStateAsync(id, "Ready");

        await using var second = TestAgent.Start(coordinator.ApiUrl, "A100-SXM4-80GB:4", "FI", first.Wallet, region: "Uusimaa");
        Assert.Equal(id, await second.HostIdAsync());

        // The first agent is told another connection took over and stops instead of fighting for the host.
        var error = await Assert.ThrowsAsync<Gpunet.Agent.Link.AgentStoppedException>(() => first.Run.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("another connection", error.Message, StringComparison.Ordinal);
        Assert.Single(await coordinator.HostsAsync());
        first.Agent.Dispose();
    }
}
