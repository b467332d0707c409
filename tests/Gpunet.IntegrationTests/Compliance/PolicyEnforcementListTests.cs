using System.Net.Http.Json;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Compliance;

/// <summary>A policy that pauses more hosts than its answer lists: the first 1,000 listed, the rest counted, every one
/// paused.</summary>
public sealed class PolicyEnforcementListTests
{
    [Fact]
    public async Task APolicyPausingTwelveHundredHosts_ListsTheFirstThousand_CountsTheRest_PausesThemAll()
    {
        const int hosts = 1_200;
        var dir = TestCoordinator.NewDataDir();
        var farmer = Wallet.Create();
        await using (var first = await TestCoordinator.StartAsync(dir))
            await SeededHosts.WriteAsync(first, farmer.Address.Value, hosts, "Ready", country: "DE");
        // Heartbeats are not expected for an hour: the seeded hosts stay Ready until the policy pauses them.
        await using var c = await TestCoordinator.StartAsync(dir, configure: o =>
        {
            o.Hosts.HeartbeatInterval = TimeSpan.FromMinutes(5);
            o.Hosts.OfflineGracePeriod = TimeSpan.FromHours(1);
            o.Metering.UsageLateness = TimeSpan.FromMinutes(15);
        });
        const string yaml = """
            version: "2026-12-07.de"
            blocked_host_jurisdictions: [DE]
            blocked_host_regions: []
            controlled_gpu_classes: []
            restricted_customer_jurisdictions: []
            restricted_parent_jurisdictions: []
            residency_zones: {}
            """;

        using var response = await c.Admin.PutAsJsonAsync("/api/v1/compliance/policy", new { yaml });
        var applied = (await response.Content.ReadFromJsonAsync<PolicyAppliedView>(TestCoordinator.Json))!;

        Assert.Equal(1_000, applied.HostsPaused.Count);
        Assert.Equal(200, applied.HostsUnlisted);
        Assert.Null(applied.LeasesUnlisted);
        var paused = await c.Admin.GetFromJsonAsync<List<HostView>>("/api/v1/hosts?state=Paused&limit=10000", TestCoordinator.Json);
        Assert.Equal(hosts, paused!.Count);
    }
}
