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
    public async Task TheCoordinatorItselfStalls_ItsHostsAreNotBlamed_AHostGoneMeanwhileStillIs()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        var clock = c.Clock();
        await using var de = await c.ReadyHostAsync("de", country: "DE");
        await using var jp = await c.ReadyHostAsync("jp", country: "JP");
        var gone = await c.ReadyHostAsync("gone", country: "US");
        await gone.DisposeAsync();

        // The process stands still for 5 s (past the 3 s Suspect window, inside the 10 s grace): silence until it resumes
        // is its own, so nobody is Suspect; the agents' heartbeats queued meanwhile come in next.
        await clock.StallAsync(TimeSpan.FromSeconds(5));
        Assert.All(await c.HostsAsync(), h => Assert.Equal("Ready", h.State));

        // The host that is really gone is found out a Suspect window after the coordinator resumed; the others never were.
        await clock.AdvanceAsync(TimeSpan.FromSeconds(3));
        var hosts = (await c.HostsAsync()).ToDictionary(h => h.Id);
        Assert.Equal(("Ready", "Ready", "Suspect"), (hosts[de.HostId].State, hosts[jp.HostId].State, hosts[gone.HostId].State));
        Assert.Contains("since the coordinator resumed after a stall", hosts[gone.HostId].StateReason, StringComparison.Ordinal);
        Assert.Equal(["Pending", "Ready"], (await c.TransitionsAsync(de.HostId)).Select(t => t.To).ToArray());
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
