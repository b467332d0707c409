using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Storage;

/// <summary>The whole coordinator on each store: register, go Ready, survive a restart.</summary>
public sealed class CoordinatorOnEachStoreTests
{
    public static TheoryData<string> Providers => TestStores.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Coordinator_OnStore_KeepsHostsAcrossRestart(string provider)
    {
        var data = TestCoordinator.NewDataDir();
        var db = await TestStores.NewStoreAsync(provider, data);
        string id;
        await using (var first = await TestCoordinator.StartAsync(data, db))
        {
            await using var agent = TestAgent.Start(first.ApiUrl, "A100-SXM4-80GB:8", "SE", region: "Stockholm");
            id = await agent.HostIdAsync();
            await first.WaitForStateAsync(id, "Ready");
        }

        await using var second = await TestCoordinator.StartAsync(data, db);
        var host = await second.HostAsync(id);
        Assert.NotNull(host);
        Assert.Equal(8, host.Gpus.Count);
        Assert.Contains((await second.TransitionsAsync(id)).Select(t => t.To), s => s == "Ready");
    }
}
