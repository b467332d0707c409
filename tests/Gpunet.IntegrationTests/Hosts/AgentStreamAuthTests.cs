using Gpunet.Agent.Link;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;
using Gpunet.Protocol;
using Grpc.Core;
using Grpc.Net.Client;

namespace Gpunet.IntegrationTests.Hosts;

/// <summary>The agent stream's handshake over real gRPC: signatures, replays, stale messages, bad hardware.</summary>
public sealed class AgentStreamAuthTests
{
    private static HostDescription Host(string fingerprintSeed, string country = "DE", string model = "H100-SXM5-80GB") => RawAgent.Fingerprinted(new()
    {
        Hostname = "raw",
        Country = country,
        PriceUsdPerGpuHour = 2,
        Gpus = { new GpuDescription { Index = 0, Uuid = "GPU-" + fingerprintSeed, Model = model, MemoryTotalMib = 81559 } },
    }, fingerprintSeed);

    private static async Task<Protocol.Challenge> HelloAsync(AsyncDuplexStreamingCall<AgentMessage, CoordinatorMessage> call, Wallet wallet)
    {
        await call.RequestStream.WriteAsync(new AgentMessage { Hello = new Hello { Address = wallet.Address.Value, AgentVersion = "test" } });
        Assert.True(await call.ResponseStream.MoveNext());
        return call.ResponseStream.Current.Challenge;
    }

    private static async Task<RpcException> RefusedAsync(AsyncDuplexStreamingCall<AgentMessage, CoordinatorMessage> call) =>
        await Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.MoveNext());

    [Fact]
    public async Task Register_SignedByAnotherKey_IsUnauthenticated()
    {
        await using var coordinator = await TestCoordinator.StartAsync();
        using var channel = GrpcChannel.ForAddress(coordinator.AgentUrl);
        using var call = new AgentLink.AgentLinkClient(channel).Connect();
        var wallet = Wallet.Create();
        var challenge = await HelloAsync(call, wallet);
        var host = Host("a");
        var message = SignInMessages.ForAgentStream(challenge.Network, wallet.Address, challenge.Nonce, DateTimeOffset.FromUnixTimeSeconds(challenge.IssuedAtUnixSeconds), host.Fingerprint);
        await call.RequestStream.WriteAsync(new AgentMessage
        {
            Register = new Register { TimestampUnixSeconds = challenge.IssuedAtUnixSeconds, Signature = Wallet.Create().Sign(message), Host = host },
        });

        var e = await RefusedAsync(call);
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Contains("signature does not match", e.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(await coordinator.HostsAsync());
    }

    [Fact]
    public async Task Register_ReplayedOnANewStream_IsRefused()
    {
        await using var coordinator = await TestCoordinator.StartAsync();
        using var channel = GrpcChannel.ForAddress(coordinator.AgentUrl);
        var wallet = Wallet.Create();
        var host = Host("replay");
        using var first = new AgentLink.AgentLinkClient(channel).Connect();
        var challenge = await HelloAsync(first, wallet);
        var message = SignInMessages.ForAgentStream(challenge.Network, wallet.Address, challenge.Nonce, DateTimeOffset.FromUnixTimeSeconds(challenge.IssuedAtUnixSeconds), host.Fingerprint);
        var register = new Register { TimestampUnixSeconds = challenge.IssuedAtUnixSeconds, Signature = wallet.Sign(message), Host = host };
        await first.RequestStream.WriteAsync(new AgentMessage { Register = register });
        Assert.True(await first.ResponseStream.MoveNext());
        Assert.NotEmpty(first.ResponseStream.Current.Registered.HostId);

        // An eavesdropper replays the captured Register on a stream of its own.
        using var replay = new AgentLink.AgentLinkClient(channel).Connect();
        await HelloAsync(replay, wallet);
        await replay.RequestStream.WriteAsync(new AgentMessage { Register = register });
        var e = await RefusedAsync(replay);
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
    }

    [Fact]
    public async Task Register_WithStaleTimestamp_IsRefused()
    {
        await using var coordinator = await TestCoordinator.StartAsync();
        using var channel = GrpcChannel.ForAddress(coordinator.AgentUrl);
        using var call = new AgentLink.AgentLinkClient(channel).Connect();
        var wallet = Wallet.Create();
        var challenge = await HelloAsync(call, wallet);
        var host = Host("stale");
        var old = DateTimeOffset.FromUnixTimeSeconds(challenge.IssuedAtUnixSeconds) - TimeSpan.FromHours(1);
        var message = SignInMessages.ForAgentStream(challenge.Network, wallet.Address, challenge.Nonce, old, host.Fingerprint);
        await call.RequestStream.WriteAsync(new AgentMessage
        {
            Register = new Register { TimestampUnixSeconds = old.ToUnixTimeSeconds(), Signature = wallet.Sign(message), Host = host },
        });
        var e = await RefusedAsync(call);
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Contains("timestamp", e.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("XX", "H100-SXM5-80GB", "host.country: unknown country code 'XX'")]
    [InlineData("DE", "H1000", "unknown GPU model 'H1000'")]
    public async Task Register_InvalidHardware_IsRefusedNamingTheField(string country, string model, string expected)
    {
        await using var coordinator = await TestCoordinator.StartAsync();
        using var channel = GrpcChannel.ForAddress(coordinator.AgentUrl);
        using var call = new AgentLink.AgentLinkClient(channel).Connect();
        var e = await Assert.ThrowsAsync<RpcException>(() =>
            AgentHandshake.RunAsync(call, Wallet.Create(), Host("bad-" + country + model, country, model), "test", TimeProvider.System, CancellationToken.None));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains(expected, e.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(await coordinator.HostsAsync());
    }

    [Fact]
    public async Task Register_FingerprintOwnedByAnotherAddress_IsPermissionDenied()
    {
        await using var coordinator = await TestCoordinator.StartAsync();
        using var channel = GrpcChannel.ForAddress(coordinator.AgentUrl);
        var host = Host("owned");
        var owner = Wallet.Create();
        using (var call = new AgentLink.AgentLinkClient(channel).Connect())
            await AgentHandshake.RunAsync(call, owner, host, "test", TimeProvider.System, CancellationToken.None);

        using var thief = new AgentLink.AgentLinkClient(channel).Connect();
        var e = await Assert.ThrowsAsync<RpcException>(() =>
            AgentHandshake.RunAsync(thief, Wallet.Create(), host, "test", TimeProvider.System, CancellationToken.None));
        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Equal(owner.Address.Value, Assert.Single(await coordinator.HostsAsync()).Address);
    }

    [Fact]
    public async Task Stream_StartingWithHeartbeat_IsRefused()
    {
        await using var coordinator = await TestCoordinator.StartAsync();
        using var channel = GrpcChannel.ForAddress(coordinator.AgentUrl);
        using var call = new AgentLink.AgentLinkClient(channel).Connect();
        await call.RequestStream.WriteAsync(new AgentMessage { Heartbeat = new Heartbeat { Sequence = 1 } });
        var e = await RefusedAsync(call);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("expected Hello", e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handshake_AbandonedAfterHello_LeavesNoOpenChallenge()
    {
        await using var coordinator = await TestCoordinator.StartAsync();
        var book = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Gpunet.Coordinator.Auth.SignInChallenges>(coordinator.App.Services).Agents;
        using var channel = GrpcChannel.ForAddress(coordinator.AgentUrl);
        using (var call = new AgentLink.AgentLinkClient(channel).Connect())
        {
            await HelloAsync(call, Wallet.Create());
            Assert.Equal(1, book.OpenCount);
        }

        // The agent hung up without answering: the coordinator withdraws the challenge at once, not after its lifetime.
        await Eventually.Async(() => Task.FromResult<int?>(book.OpenCount), n => n == 0, "the challenge to be withdrawn");
    }
}
