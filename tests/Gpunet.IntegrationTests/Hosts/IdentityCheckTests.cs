using System.Text.Json;
using Gpunet.Agent.Link;
using Gpunet.Core.Hosts;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Compliance;
using Gpunet.IntegrationTests.Support;
using Gpunet.Protocol;
using Grpc.Core;
using Grpc.Net.Client;

namespace Gpunet.IntegrationTests.Hosts;

/// <summary>Identity at registration, over real gRPC: the coordinator recomputes the fingerprint, refuses a GPU a live
/// host holds (and holds that host too), and flags a fingerprint live from two addresses (a cloned machine).</summary>
public sealed class IdentityCheckTests
{
    /// <summary>A raw agent stream that registered a host and heartbeats it, so the host is live and becomes Ready.</summary>
    private sealed class LiveHost : IAsyncDisposable
    {
        private readonly GrpcChannel _channel;
        private readonly AsyncDuplexStreamingCall<AgentMessage, CoordinatorMessage> _call;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _beating;

        private LiveHost(GrpcChannel channel, AsyncDuplexStreamingCall<AgentMessage, CoordinatorMessage> call, string hostId)
        {
            (_channel, _call, HostId) = (channel, call, hostId);
            _beating = Task.Run(BeatAsync);
        }

        public string HostId { get; }

        public static async Task<LiveHost> ConnectAsync(TestCoordinator c, Wallet owner, HostDescription host, string? forwardedFor = null)
        {
            var channel = GrpcChannel.ForAddress(c.AgentUrl);
            var call = new AgentLink.AgentLinkClient(channel).Connect(forwardedFor is null ? null : new Metadata { { "X-Forwarded-For", forwardedFor } });
            var registered = await AgentHandshake.RunAsync(call, owner, host, "test", TimeProvider.System, CancellationToken.None);
            return new LiveHost(channel, call, registered.HostId);
        }

        // What an agent does: a heartbeat every interval (the test coordinator's is 200 ms) while it runs.
        private async Task BeatAsync()
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
            ulong sequence = 0;
            try
            {
                do
                    await _call.RequestStream.WriteAsync(new AgentMessage { Heartbeat = new Heartbeat { Sequence = ++sequence } });
                while (await timer.WaitForNextTickAsync(_stop.Token));
            }
            catch (Exception e) when (e is OperationCanceledException or RpcException or InvalidOperationException)
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _beating;
            _call.Dispose();
            _channel.Dispose();
            _stop.Dispose();
        }
    }

    private static async Task<List<JsonElement>> AuditAsync(TestCoordinator c, string subject, string rule) =>
        [.. (await Kyc.AuditAsync(c.Admin, subject)).Where(e => e.GetProperty("rule").GetString() == rule)];

    [Fact]
    public async Task Register_SameFingerprintWithOtherGpus_RefusedNamingTheFingerprintAndTheHostKeepsItsGpus()
    {
        await using var c = await TestCoordinator.StartAsync();
        var owner = Wallet.Create();
        var first = await RawAgent.RegisterAsync(c, owner, RawAgent.Host("swapper", "GPU-swap-a"));

        // The same identity (and stake) reported with another GPU: the fingerprint is not over what is reported.
        var swapped = RawAgent.Host("swapper", "GPU-swap-a");
        swapped.Gpus[0].Uuid = "GPU-swap-b";
        var e = await Assert.ThrowsAsync<RpcException>(() => RawAgent.RegisterAsync(c, owner, swapped));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith($"host.fingerprint: {swapped.Fingerprint[..12]}… is not the fingerprint of the reported hardware", e.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(["GPU-swap-a"], (await c.HostAsync(first.HostId))!.Gpus.Select(g => g.Uuid));
    }

    [Fact]
    public async Task Register_GpuOfALiveHost_RefusedAndTheLiveHostPausedWithTheReasonUntilTheClaimantIsGone()
    {
        // The holder must stay heard while it is held: on a loaded machine a second's gap in its 200 ms heartbeats made it
        // Suspect just as the hold was lifted, and it came back Ready "after 0 s Suspect" instead of "hold lifted". Suspect
        // after 3 s unheard here; the claimant is forgotten after the 4 s grace.
        await using var c = await TestCoordinator.StartAsync(configure: TestCoordinator.Unhurried(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(4)));
        await using var holder = await LiveHost.ConnectAsync(c, Wallet.Create(), RawAgent.Host("holder", "GPU-once"));
        await c.WaitForStateAsync(holder.HostId, "Ready");

        var claimant = RawAgent.Host("claimant", "GPU-once");
        var claimantId = HostId.FromFingerprint(claimant.Fingerprint).Value;
        var e = await Assert.ThrowsAsync<RpcException>(() => RawAgent.RegisterAsync(c, Wallet.Create(), claimant));

        Assert.Equal(StatusCode.AlreadyExists, e.StatusCode);
        Assert.StartsWith($"host.gpus[0].uuid: GPU GPU-once is registered to host {holder.HostId}", e.Status.Detail, StringComparison.Ordinal);
        var paused = await c.WaitForStateAsync(holder.HostId, "Paused");
        Assert.Equal($"held by compliance: identity: GPU GPU-once is also claimed by host {claimantId}; not matched while both claim it", paused.StateReason);
        Assert.Single(await AuditAsync(c, holder.HostId, IdentityHold.GpuDoubleClaim));
        var refused = Assert.Single(await AuditAsync(c, claimantId, IdentityHold.GpuDoubleClaim));
        Assert.StartsWith("refused: GPU GPU-once is registered to host", refused.GetProperty("outcome").GetString(), StringComparison.Ordinal);

        // The claimant gave up: once it has not been seen for the grace period, the holder serves again.
        var ready = await c.WaitForStateAsync(holder.HostId, "Ready");
        Assert.Equal(HostHealthPolicy.HoldLifted, ready.StateReason);
    }

    [Fact]
    public async Task Register_FingerprintLiveFromAnotherAddress_CopyRefusedAndHostPausedNamingBothAddresses()
    {
        await using var c = await TestCoordinator.StartAsync(configure: o => o.Edge.TrustedProxies = ["127.0.0.1"]);
        var owner = Wallet.Create();
        await using var original = await LiveHost.ConnectAsync(c, owner, RawAgent.Host("cloned"), forwardedFor: "203.0.113.7");
        await c.WaitForStateAsync(original.HostId, "Ready");

        using var channel = GrpcChannel.ForAddress(c.AgentUrl);
        using var call = new AgentLink.AgentLinkClient(channel).Connect(new Metadata { { "X-Forwarded-For", "198.51.100.9" } });
        var e = await Assert.ThrowsAsync<RpcException>(() =>
            AgentHandshake.RunAsync(call, owner, RawAgent.Host("cloned"), "test", TimeProvider.System, CancellationToken.None));

        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.StartsWith($"host.fingerprint: host {original.HostId} (this hardware fingerprint) is live from 203.0.113.7", e.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("registered again from 198.51.100.9: one fingerprint is one machine, so this copy is refused", e.Status.Detail, StringComparison.Ordinal);
        var paused = await c.WaitForStateAsync(original.HostId, "Paused");
        Assert.Equal("held by compliance: identity: cloned fingerprint: seen from 203.0.113.7 and 198.51.100.9 at once", paused.StateReason);
        var audit = Assert.Single(await AuditAsync(c, original.HostId, IdentityHold.ClonedFingerprint));
        Assert.Equal("203.0.113.7", audit.GetProperty("inputs").GetProperty("liveFrom").GetString());
        Assert.Equal("198.51.100.9", audit.GetProperty("inputs").GetProperty("registeringFrom").GetString());
    }

    [Fact]
    public async Task Register_SameMachineAgainWithTheSameGpus_KeepsItsIdentityAndServes()
    {
        // A real agent: the coordinator recomputes its fingerprint from the MAC, CPU model and GPU UUIDs it reports.
        await using var c = await TestCoordinator.StartAsync();
        var owner = Wallet.Create();
        string hostId;
        long heard;
        await using (var agent = TestAgent.Start(c.ApiUrl, "L4-24GB:2", wallet: owner, seed: "honest-machine"))
        {
            hostId = await agent.HostIdAsync();
            heard = (await c.WaitForStateAsync(hostId, "Ready")).Heartbeats;
        }

        await using var again = TestAgent.Start(c.ApiUrl, "L4-24GB:2", wallet: owner, seed: "honest-machine");
        Assert.Equal(hostId, await again.HostIdAsync());
        var host = await Eventually.Async(() => c.HostAsync(hostId), h => h.State == "Ready" && h.Heartbeats > heard, "the host serving again");
        Assert.DoesNotContain("identity", host.StateReason, StringComparison.Ordinal);
        Assert.Single(await c.HostsAsync());
    }
}
