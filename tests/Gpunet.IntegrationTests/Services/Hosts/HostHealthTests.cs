using System.Net.Http.Json;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Services.Hosts;

/// <summary>Host health on the fake clock: Suspect after 3 silent heartbeat intervals, Offline after the 10 s grace
/// period, Ready when heard again, and no Offline at all when every host falls silent at once.</summary>
public sealed class HostHealthTests
{
    private sealed record Network(bool OfflineTransitionsHeld, string? HeldReason, Dictionary<string, int> HostsByState);

    [Fact]
    public async Task AHostGoesSilent_TurnsSuspectThenOfflineThenReadyWhenBack()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        var clock = c.Clock();
        // A second, healthy host keeps the network from looking like a mass silence.
        await using var witness = await c.ReadyHostAsync("witness", country: "FR");
        var agent = await c.ReadyHostAsync("silent");
        var id = agent.HostId;

        // The agent is gone: its stream closes and its heartbeats stop (it was last heard a step ago).
        await agent.DisposeAsync();
        await clock.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal("Ready", (await c.HostAsync(id))!.State);
        await clock.AdvanceAsync(TimeSpan.FromSeconds(1));
        var suspect = (await c.HostAsync(id))!;
        Assert.Equal("Suspect", suspect.State);
        Assert.Contains("no heartbeat", suspect.StateReason, StringComparison.Ordinal);
        await clock.AdvanceAsync(TimeSpan.FromSeconds(6));
        Assert.Equal("Suspect", (await c.HostAsync(id))!.State);
        await clock.AdvanceAsync(TimeSpan.FromSeconds(1));
        var offline = (await c.HostAsync(id))!;
        Assert.Equal("Offline", offline.State);
        Assert.False(offline.Connected);

        // The same machine (same key, same GPUs) comes back.
        await using var again = await FakeAgent.ConnectAsync(c, "silent", agent.Wallet);
        Assert.Equal(id, again.HostId);
        await clock.AdvanceAsync(TimeSpan.FromSeconds(2));
        var ready = (await c.HostAsync(id))!;
        Assert.Equal("Ready", ready.State);
        Assert.Contains("resumed", ready.StateReason, StringComparison.Ordinal);
        Assert.Equal(["Pending", "Ready", "Suspect", "Offline", "Ready"], (await c.TransitionsAsync(id)).Select(t => t.To).ToArray());
    }

    [Fact]
    public async Task EveryHostGoesSilentAtOnce_NoneIsMarkedOffline()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        var clock = c.Clock();
        var hosts = new[]
        {
            await c.ReadyHostAsync("de", country: "DE"),
            await c.ReadyHostAsync("jp", country: "JP"),
            await c.ReadyHostAsync("us", country: "US"),
        };

        // As if the coordinator's own network failed: every agent goes quiet together.
        foreach (var h in hosts)
            h.GoSilent();
        await clock.AdvanceAsync(TimeSpan.FromSeconds(5));
        var network = (await c.Anonymous.GetFromJsonAsync<Network>("/api/v1/network", TestCoordinator.Json))!;
        Assert.True(network.OfflineTransitionsHeld);
        Assert.Contains("mass silence", network.HeldReason, StringComparison.Ordinal);

        // Well past the 10 s grace period, nobody is Offline.
        await clock.AdvanceAsync(TimeSpan.FromSeconds(15));
        Assert.All(await c.HostsAsync(), h => Assert.Equal("Suspect", h.State));
        foreach (var h in hosts)
            await h.DisposeAsync();
    }
}
