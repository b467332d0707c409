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
    public async Task Agent_GoesSilent_HostTurnsSuspectThenOfflineThenReadyWhenBack()
    {
        await using var coordinator = await TestCoordinator.StartAsync();
        // A second, healthy host keeps the network from looking like a mass silence.
        await using var witness = TestAgent.Start(coordinator.ApiUrl, "L4-24GB:1", "FR", region: "Île-de-France");
        var agent = TestAgent.Start(coordinator.ApiUrl, "RTX-4090-24GB:2", "DE");
        var id = await agent.HostIdAsync();
        await coordinator.WaitForStateAsync(id, "Ready");
        await coordinator.WaitForStateAsync(await witness.HostIdAsync(), "Ready");

        await agent.DisposeAsync();
        var suspect = await coordinator.WaitForStateAsync(id, "Suspect");
        Assert.Contains("no heartbeat", suspect.StateReason, StringComparison.Ordinal);
        var offline = await coordinator.WaitForStateAsync(id, "Offline");
        Assert.False(offline.Connected);

        // The same machine (same key, same simulated GPUs) comes back.
        await using var again = TestAgent.Start(coordinator.ApiUrl, "RTX-4090-24GB:2", "DE", agent.Wallet);
        Assert.Equal(id, await again.HostIdAsync());
        var ready = await coordinator.WaitForStateAsync(id, "Ready");
        Assert.Contains("resumed", ready.StateReason, StringComparison.Ordinal);

        var path = (await Eventually.Async<List<TransitionView>>(async () => await coordinator.TransitionsAsync(id), h => h.Count >= 5, "the stored transitions")).Select(t => t.To).ToArray();
        Assert.Equal(["Pending", "Ready", "Suspect", "Offline", "Ready"], path);
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
