using System.Net.Http.Json;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Ledger;

/// <summary>A wallet's balance on an operator of more hosts than it lists: the first 1,000 by id, the rest counted.</summary>
public sealed class WalletHostListTests
{
    [Fact]
    public async Task AnOperatorOfTwelveHundredHosts_BalanceListsTheFirstThousand_CountsTheRest()
    {
        const int hosts = 1_200;
        var dir = TestCoordinator.NewDataDir();
        var farmer = Wallet.Create();
        // A first start makes the store; the hosts are written while no coordinator runs, and the second loads them.
        await using (var first = await TestCoordinator.StartAsync(dir))
            await SeededHosts.WriteAsync(first, farmer.Address.Value, hosts, "Offline");

        await using var c = await TestCoordinator.StartAsync(dir);
        var wallet = (await c.Admin.GetFromJsonAsync<WalletView>($"/api/v1/wallet?address={farmer.Address.Value}", TestCoordinator.Json))!;

        Assert.Equal(1_000, wallet.Hosts.Count);
        Assert.Equal("host-000000000000", wallet.Hosts[0].Host);
        Assert.Equal("host-0000000003e7", wallet.Hosts[^1].Host);
        Assert.Equal(200, wallet.HostsUnlisted);
    }
}
