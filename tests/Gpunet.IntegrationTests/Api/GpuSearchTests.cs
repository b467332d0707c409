using System.Net.Http.Json;
using Gpunet.Core.Gpus;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Api;

public sealed class GpuSearchTests
{
    [Fact]
    public async Task Gpus_Query_FindsOnlyMatchingFreeGpus()
    {
        await using var c = await TestCoordinator.StartAsync();
        await using var big = TestAgent.Start(c.ApiUrl, "H100-SXM5-80GB:8", "DE", price: 2.2);
        await using var small = TestAgent.Start(c.ApiUrl, "H100-PCIe-80GB:2", "FR", region: "Île-de-France", price: 1.9);
        await using var gamer = TestAgent.Start(c.ApiUrl, "RTX-4090-24GB:4", "US", region: "California", price: 0.4);
        foreach (var a in new[] { big, small, gamer })
            await c.WaitForStateAsync(await a.HostIdAsync(), "Ready");

        async Task<List<GpuOffer>> Search(string q) =>
            (await c.Admin.GetFromJsonAsync<List<GpuOffer>>("/api/v1/gpus?q=" + Uri.EscapeDataString(q), TestCoordinator.Json))!;

        var all = await Search("");
        Assert.Equal(14, all.Sum(o => o.Count));
        Assert.Equal([0.4m, 1.9m, 2.2m], all.Select(o => o.PriceUsdPerGpuHour).ToArray()); // cheapest first

        var eight = Assert.Single(await Search("model=H100 vram>=80 count>=8 country in [DE,FR] price<=2.5"));
        Assert.Equal(await big.HostIdAsync(), eight.HostId);
        Assert.Equal("H100-SXM5-80GB", eight.Model);

        Assert.Equal(2, (await Search("model=H100")).Count); // a family matches every variant
        Assert.Single(await Search("model=H100-PCIe-80GB"));
        Assert.Empty(await Search("model=H100 price<1"));
    }
}
