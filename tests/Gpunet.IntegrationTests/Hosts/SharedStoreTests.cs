using System.Security.Cryptography;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;
using Grpc.Core;

namespace Gpunet.IntegrationTests.Hosts;

/// <summary>Two coordinators over one store: a host registered through one is known to the other at once, adopted (not
/// duplicated) when it registers there too, and an agent given both moves to the second when the first stops.</summary>
public sealed class SharedStoreTests
{
    [Theory]
    [MemberData(nameof(TestStores.Providers), MemberType = typeof(TestStores))]
    public async Task HostRegisteredThroughA_IsListedByB_AndAdoptedWithItsIdAndOwnerWhenItRegistersThere(string provider)
    {
        var data = TestCoordinator.NewDataDir();
        var db = await TestStores.NewStoreAsync(provider, data);
        await using var a = await TestCoordinator.StartAsync(data, db);
        await using var b = await TestCoordinator.StartAsync(TestCoordinator.NewDataDir(), db); // loaded the (empty) store before A registered anything
        var owner = Wallet.Create();
        var host = RawAgent.Host("shared-1");

        var first = await RawAgent.RegisterAsync(a, owner, host);
        // B learns of it from the store without a restart.
        var listed = await Eventually.Async(() => b.HostAsync(first.HostId), h => h is not null, "B to list the host registered through A");
        Assert.Equal(owner.Address.Value, listed!.Address);

        var second = await RawAgent.RegisterAsync(b, owner, host);
        Assert.Equal(first.HostId, second.HostId);
        var adopted = Assert.Single(await b.HostsAsync());
        Assert.Equal(owner.Address.Value, adopted.Address);

        // The adopted host keeps its owner on the second coordinator too.
        var e = await Assert.ThrowsAsync<RpcException>(() => RawAgent.RegisterAsync(b, Wallet.Create(), host));
        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
    }

    [Fact]
    public async Task AnAgentGivenTwoCoordinators_MovesToTheSecondWhenTheFirstStops_AndStaysReady()
    {
        var data = TestCoordinator.NewDataDir();
        var db = TestStores.NewDatabase("sqlite", data);
        var token = "gpa_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var a = await TestCoordinator.StartAsync(data, db, adminToken: token);
        await using var b = await TestCoordinator.StartAsync(TestCoordinator.NewDataDir(), db, adminToken: token);
        await using var agent = TestAgent.Start(a.ApiUrl, "H100-SXM5-80GB:1", failover: [b.ApiUrl]);
        var host = await agent.HostIdAsync();
        await a.WaitForStateAsync(host, "Ready");
        await Eventually.Async(() => b.HostAsync(host), h => h is { Connected: false }, "B to know the host, connected to A");

        await a.DisposeAsync();

        // The agent's stream to A fails; it registers with B, which now hears it.
        var moved = await Eventually.Async(() => b.HostAsync(host), h => h is { Connected: true }, "the agent to connect to B");
        Assert.Equal(new Uri(b.ApiUrl), agent.Agent.Coordinator);
        Assert.Equal("Ready", moved!.State);
    }
}
