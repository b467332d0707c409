using Gpunet.Agent.Link;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;
using Gpunet.Protocol;
using Grpc.Core;
using Grpc.Net.Client;

namespace Gpunet.IntegrationTests.Hosts;

/// <summary>Two coordinators over one store: a host stored by one is adopted, not duplicated, by the other.</summary>
public sealed class SharedStoreTests
{
    private static HostDescription Host(string seed) => new()
    {
        Fingerprint = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed))),
        Hostname = "shared",
        Country = "DE",
        PriceUsdPerGpuHour = 2,
        Gpus = { new GpuDescription { Index = 0, Uuid = "GPU-" + seed, Model = "H100-SXM5-80GB", MemoryTotalMib = 81559 } },
    };

    private static async Task<Registered> RegisterAsync(TestCoordinator c, Wallet wallet, HostDescription host)
    {
        using var channel = GrpcChannel.ForAddress(c.AgentUrl);
        using var call = new AgentLink.AgentLinkClient(channel).Connect();
        return await AgentHandshake.RunAsync(call, wallet, host, "test", TimeProvider.System, CancellationToken.None);
    }

    [Fact]
    public async Task HostStoredByAnotherCoordinator_IsAdoptedWithItsIdAndOwner()
    {
        var data = TestCoordinator.NewDataDir();
        await using var a = await TestCoordinator.StartAsync(data);
        await using var b = await TestCoordinator.StartAsync(data); // loaded the (empty) store before A registered anything
        var owner = Wallet.Create();
        var host = Host("shared-1");

        var first = await RegisterAsync(a, owner, host);
        Assert.Empty(await b.HostsAsync());

        var second = await RegisterAsync(b, owner, host);
        Assert.Equal(first.HostId, second.HostId);
        var adopted = Assert.Single(await b.HostsAsync());
        Assert.Equal(owner.Address.Value, adopted.Address);

        // The adopted host keeps its owner on the second coordinator too.
        var e = await Assert.ThrowsAsync<RpcException>(() => RegisterAsync(b, Wallet.Create(), host));
        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
    }
}
