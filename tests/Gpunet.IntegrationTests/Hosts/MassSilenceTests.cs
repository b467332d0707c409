using System.Net.Http.Json;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Hosts;

public sealed class MassSilenceTests
{
    private sealed record Network(bool OfflineTransitionsHeld, string? HeldReason, Dictionary<string, int> HostsByState);

    [Fact]
    public async Task EveryHostGoesSilentAtOnce_NoneIsMarkedOffline()
    {
        await using var coordinator = await TestCoordinator.StartAsync();
        var agents = new[]
        {
            TestAgent.Start(coordinator.ApiUrl, "H100-SXM5-80GB:8", "DE"),
            TestAgent.Start(coordinator.ApiUrl, "L40S-48GB:4", "JP", region: "Tokyo"),
            TestAgent.Start(coordinator.ApiUrl, "RTX-4090-24GB:2", "US", region: "California"),
        };
        var ids = new List<string>();
        foreach (var a in agents)
            ids.Add(await a.HostIdAsync());
        foreach (var id in ids)
            await coordinator.WaitForStateAsync(id, "Ready");

        // As if the coordinator's own network failed: every agent goes quiet together.
        foreach (var a in agents)
            await a.DisposeAsync();

        var network = await Eventually.Async(
            () => coordinator.Anonymous.GetFromJsonAsync<Network>("/api/v1/network", TestCoordinator.Json),
            n => n.OfflineTransitionsHeld, "Offline transitions to be held");
        Assert.Contains("mass silence", network.HeldReason, StringComparison.Ordinal);

        // Well past the 2.5 s grace period, nobody is Offline.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var hosts = await coordinator.HostsAsync();
        Assert.All(hosts, h => Assert.NotEqual("Offline", h.State));
        Assert.All(hosts, h => Assert.Equal("Suspect", h.State));
    }
}
