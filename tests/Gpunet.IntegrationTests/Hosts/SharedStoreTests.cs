using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;
using Grpc.Core;

namespace Gpunet.IntegrationTests.Hosts;

/// <summary>Two coordinators over one store: a host stored by one is adopted, not duplicated, by the other.</summary>
public sealed class SharedStoreTests
{
    [Fact]
    public async Task HostStoredByAnotherCoordinator_IsAdoptedWithItsIdAndOwner()
    {
        var data = TestCoordinator.NewDataDir();
        await using var a = await TestCoordinator.StartAsync(data);
        await using var b = await TestCoordinator.StartAsync(data); // loaded the (empty) store before A registered anything
        var owner = Wallet.Create();
        var host = RawAgent.Host("shared-1");

        var first = await RawAgent.RegisterAsync(a, owner, host);
        Assert.Empty(await b.HostsAsync());

        var second = await RawAgent.RegisterAsync(b, owner, host);
        Assert.Equal(first.HostId, second.HostId);
        var adopted = Assert.Single(await b.HostsAsync());
        Assert.Equal(owner.Address.Value, adopted.Address);

        // The adopted host keeps its owner on the second coordinator too.
        var e = await Assert.ThrowsAsync<RpcException>(() => RawAgent.RegisterAsync(b, Wallet.Create(), host));
        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
    }
}
