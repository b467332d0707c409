using Gpunet.Agent.Discovery;
using Gpunet.Agent.Link;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;
using Gpunet.Protocol;
using Grpc.Core;
using Grpc.Net.Client;

namespace Gpunet.IntegrationTests.Hosts;

/// <summary>A GPU serves one container: a second host (another hardware fingerprint) claiming a GPU's UUID is refused
/// with the reason, on one coordinator or two over one store; the same operator's silent host hands its GPUs over.</summary>
public sealed class GpuClaimTests
{
    [Fact]
    public async Task Register_GpusOfARunningAgent_RefusedWithTheReasonAndTheAgentReconnectsWithThem()
    {
        await using var c = await TestCoordinator.StartAsync();
        var owner = Wallet.Create();
        const string seed = "gpu-claim-machine";
        var uuids = (await SimulatedGpuSource.FromSpecs(["H100-SXM5-80GB:2"], seed).ReadAsync(CancellationToken.None)).Gpus.Select(g => g.Uuid).ToArray();
        string hostId;
        await using (var agent = TestAgent.Start(c.ApiUrl, "H100-SXM5-80GB:2", wallet: owner, seed: seed))
        {
            hostId = await agent.HostIdAsync();

            // Another operator's machine (another fingerprint) reports the same two GPUs.
            var e = await Assert.ThrowsAsync<RpcException>(() => RawAgent.RegisterAsync(c, Wallet.Create(), RawAgent.Host("copy", uuids)));

            Assert.Equal(StatusCode.AlreadyExists, e.StatusCode);
            Assert.Equal($"host.gpus[0].uuid: GPU {uuids[0]} is registered to host {hostId} of another operator; a GPU serves one container, " +
                "and it does not move between operators", e.Status.Detail);
            var only = Assert.Single(await c.HostsAsync());
            Assert.Equal(hostId, only.Id);
            Assert.Equal(uuids, only.Gpus.Select(g => g.Uuid));
        }

        // The same agent coming back claims its own GPUs again.
        await using var again = TestAgent.Start(c.ApiUrl, "H100-SXM5-80GB:2", wallet: owner, seed: seed);
        Assert.Equal(hostId, await again.HostIdAsync());
        var host = await c.WaitForStateAsync(hostId, "Ready");
        Assert.Equal(uuids, host.Gpus.Select(g => g.Uuid));
    }

    [Fact]
    public async Task Register_OneGpuAlreadyClaimed_RefusedNamingThatGpu()
    {
        await using var c = await TestCoordinator.StartAsync();
        var first = await RawAgent.RegisterAsync(c, Wallet.Create(), RawAgent.Host("first", "GPU-one-a", "GPU-one-b"));

        var e = await Assert.ThrowsAsync<RpcException>(() => RawAgent.RegisterAsync(c, Wallet.Create(), RawAgent.Host("second", "GPU-two-a", "GPU-one-b")));

        Assert.Equal(StatusCode.AlreadyExists, e.StatusCode);
        Assert.StartsWith($"host.gpus[1].uuid: GPU GPU-one-b is registered to host {first.HostId}", e.Status.Detail, StringComparison.Ordinal);
        Assert.Equal([first.HostId], (await c.HostsAsync()).Select(h => h.Id));
    }

    [Fact]
    public async Task Register_SameOperatorsNewContainer_WaitsUntilTheOldOneIsSilentThenTakesItsGpus()
    {
        await using var c = await TestCoordinator.StartAsync();
        var owner = Wallet.Create();
        string oldId;
        using (var channel = GrpcChannel.ForAddress(c.AgentUrl))
        using (var call = new AgentLink.AgentLinkClient(channel).Connect())
        {
            oldId = (await AgentHandshake.RunAsync(call, owner, RawAgent.Host("old-container", "GPU-moving"), "test", TimeProvider.System, CancellationToken.None)).HostId;

            // While the old container's agent is connected, the new one may not take its GPU.
            var e = await Assert.ThrowsAsync<RpcException>(() => RawAgent.RegisterAsync(c, owner, RawAgent.Host("new-container", "GPU-moving")));
            Assert.Equal(StatusCode.AlreadyExists, e.StatusCode);
            Assert.Contains($"registered to your host {oldId} (connected now)", e.Status.Detail, StringComparison.Ordinal);
            Assert.Contains("once it has been silent for 2.5 s this container takes its GPUs (and must be staked anew)", e.Status.Detail, StringComparison.Ordinal);
        }

        // Once the old container has been silent for the grace period, its GPUs move to the new one.
        await c.WaitForStateAsync(oldId, "Offline");
        var moved = await RawAgent.RegisterAsync(c, owner, RawAgent.Host("new-container", "GPU-moving"));
        Assert.NotEqual(oldId, moved.HostId);
        Assert.Equal(["GPU-moving"], (await c.HostAsync(moved.HostId))!.Gpus.Select(g => g.Uuid));
        Assert.Empty((await c.HostAsync(oldId))!.Gpus);

        // The old container coming back while the new one is heard is refused: one card is not two containers.
        var back = await Assert.ThrowsAsync<RpcException>(() => RawAgent.RegisterAsync(c, owner, RawAgent.Host("old-container", "GPU-moving")));
        Assert.Equal(StatusCode.AlreadyExists, back.StatusCode);
        Assert.Contains($"registered to your host {moved.HostId}", back.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestStores.Providers), MemberType = typeof(TestStores))]
    public async Task Register_GpuAdmittedByAnotherCoordinatorOnTheSameStore_Refused(string provider)
    {
        var data = TestCoordinator.NewDataDir();
        var db = await TestStores.NewStoreAsync(provider, data);
        await using var a = await TestCoordinator.StartAsync(data, db);
        await using var b = await TestCoordinator.StartAsync(data, db); // loaded the (empty) store before A admitted anything
        var first = await RawAgent.RegisterAsync(a, Wallet.Create(), RawAgent.Host("via-a", "GPU-shared-store"));

        var e = await Assert.ThrowsAsync<RpcException>(() => RawAgent.RegisterAsync(b, Wallet.Create(), RawAgent.Host("via-b", "GPU-shared-store")));

        Assert.Equal(StatusCode.AlreadyExists, e.StatusCode);
        Assert.Contains($"GPU GPU-shared-store is registered to host {first.HostId} of another operator", e.Status.Detail, StringComparison.Ordinal);
        // B knows A's host (from the store), and no other.
        Assert.All(await b.HostsAsync(), h => Assert.Equal(first.HostId, h.Id));
        Assert.Equal(["GPU-shared-store"], (await a.HostAsync(first.HostId))!.Gpus.Select(g => g.Uuid));
    }
}
