using System.Security.Cryptography;
using Google.Protobuf;
using Gpunet.Agent;
using Gpunet.Agent.Discovery;
using Gpunet.Agent.Probe;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;
using Gpunet.Protocol;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gpunet.IntegrationTests.Agent.Probe;

/// <summary>The agent's probe endpoint over real gRPC on loopback, with checks announced as the coordinator would.</summary>
public sealed class HostProbeTests : IAsyncLifetime
{
    private const string Network = "gpunet-test";
    private const string HostId = "host_probe1";
    private const int Size = 64;
    private const int Products = 2;

    private readonly Wallet _checker = Wallet.Create();
    private readonly Wallet _otherChecker = Wallet.Create();
    private AgentProbe _probe = null!;
    private GrpcChannel _channel = null!;
    private HostProbe.HostProbeClient _client = null!;

    public async Task InitializeAsync()
    {
        var inventory = await SimulatedGpuSource.FromSpecs(["H100-SXM5-80GB:2"], "probe-test").ReadAsync(CancellationToken.None);
        var options = new AgentOptions { Coordinator = new Uri("http://127.0.0.1:9"), Country = "DE" };
        _probe = await AgentProbe.StartAsync(options, inventory, TimeProvider.System, NullLogger.Instance, CancellationToken.None);
        _probe.Registered(HostId, Network);
        _channel = GrpcChannel.ForAddress(_probe.Endpoint);
        _client = new HostProbe.HostProbeClient(_channel);
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _probe.DisposeAsync();
    }

    [Theory]
    [InlineData(Size, 0)] // square, as announced before the inner size: k = n
    [InlineData(32, 256)] // rectangular: A 32 × 256, B 256 × 32, C still 32 × 32
    public async Task Capacity_AssignedChecker_OpenedRowsPassFreivaldsForTheAnnouncedShape(int size, int inner)
    {
        Announce("chk_cap", CheckKind.Capacity, size: size, innerSize: inner);
        var seed = RandomNumberGenerator.GetBytes(MatrixChallenge.SeedLength);
        using var call = _client.Capacity();

        await call.RequestStream.WriteAsync(Start(Sign(_checker, "chk_cap", HostId, CheckKind.Capacity), seed, size, inner));
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var commit = call.ResponseStream.Current.Commit;
        var rows = FreivaldsCheck.PickRows(size, 4, checkerSeed: 42);
        var open = new CapacityOpen();
        foreach (var gpu in commit.Gpus)
        {
            for (var p = 0; p < Products; p++)
                open.Rows.AddRange(rows.Select(r => new RowRequest { Gpu = gpu.Gpu, Product = p, Row = r }));
        }

        await call.RequestStream.WriteAsync(new CapacityRequest { Open = open });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var openings = call.ResponseStream.Current.Openings.Rows;

        Assert.Equal([0, 1], commit.Gpus.Select(g => g.Gpu));
        var challenge = new MatrixChallenge(seed, size, inner == 0 ? size : inner);
        foreach (var gpu in commit.Gpus)
        {
            Assert.Equal(Products, gpu.ProductRoots.Count);
            for (var p = 0; p < Products; p++)
            {
                var opened = openings.Where(o => o.Gpu == gpu.Gpu && o.Product == p)
                    .Select(o => new MatrixChallengeOpening(o.Row, [.. o.Values], [.. o.Path.Select(h => h.ToByteArray())])).ToList();
                var verdict = FreivaldsCheck.VerifyOpenings(challenge.Derive(gpu.Gpu, p), gpu.ProductRoots[p].Span, rows, opened, checkerSeed: 7);
                Assert.True(verdict.Passed, verdict.Reason);
                // A rectangular check's host computed its product, not the square one of the same seed.
                if (inner != 0)
                    Assert.False(FreivaldsCheck.VerifyOpenings(new MatrixChallenge(seed, size).Derive(gpu.Gpu, p), gpu.ProductRoots[p].Span, rows, opened, 7).Passed);
            }
        }

        Assert.Equal(0, _probe.Counters.Refused);
    }

    [Theory]
    [InlineData(32, 131_072, 2)]
    [InlineData(16_384, 65_537, 1)]
    [InlineData(32, 256, 0)]
    public void Announce_CapacityWorkBeyondTheHostsLimits_IsNotKeptAndSaysWhy(int size, int inner, int products)
    {
        var checks = new AnnouncedChecks(TimeProvider.System);
        var expect = new ExpectCheck
        {
            CheckId = "chk_huge", Kind = CheckKind.Capacity, Size = size, InnerSize = inner, Products = products,
            ExpiresAtUnixMs = TimeProvider.System.GetUtcNow().AddMinutes(5).ToUnixTimeMilliseconds(),
        };

        var refused = checks.Announce(expect);

        Assert.Contains("beyond what this host computes", refused, StringComparison.Ordinal);
        Assert.Null(checks.Find("chk_huge"));
    }

    [Fact]
    public void Announce_SquareCheckFromBeforeTheInnerSize_IsKeptAsSquare()
    {
        var checks = new AnnouncedChecks(TimeProvider.System);
        var expect = new ExpectCheck
        {
            CheckId = "chk_old_shape", Kind = CheckKind.Capacity, Size = 64, Products = 2, TimingSize = 2048, TimingProducts = 9,
            ExpiresAtUnixMs = TimeProvider.System.GetUtcNow().AddMinutes(5).ToUnixTimeMilliseconds(),
        };

        Assert.Null(checks.Announce(expect));
        var kept = checks.Find("chk_old_shape");
        Assert.Equal((64, 2048), (kept?.Inner, kept?.TimingInner));
    }

    [Fact]
    public async Task Ping_AssignedChecker_EchoesPayloadAndHostId()
    {
        Announce("chk_live", CheckKind.Liveness);

        var reply = await _client.PingAsync(new PingRequest
        {
            Auth = Sign(_checker, "chk_live", HostId, CheckKind.Liveness),
            Payload = ByteString.CopyFromUtf8("hello"),
        });

        Assert.Equal("hello", reply.Payload.ToStringUtf8());
        Assert.Equal(HostId, reply.HostId);
    }

    public static TheoryData<string, StatusCode, ProbeRefusalReason> Refusals => new()
    {
        { "unsigned", StatusCode.InvalidArgument, ProbeRefusalReason.Malformed },
        { "checker not assigned", StatusCode.PermissionDenied, ProbeRefusalReason.NotAssigned },
        // Not yet: the checker tries again a moment later (the announcement may still be on its way).
        { "check not announced", StatusCode.FailedPrecondition, ProbeRefusalReason.NotAnnounced },
        { "check expired", StatusCode.PermissionDenied, ProbeRefusalReason.Expired },
        { "signed for another host", StatusCode.PermissionDenied, ProbeRefusalReason.BadSignature },
        { "signed an hour ago", StatusCode.PermissionDenied, ProbeRefusalReason.Stale },
        { "replayed start", StatusCode.PermissionDenied, ProbeRefusalReason.Replayed },
        { "wrong size", StatusCode.PermissionDenied, ProbeRefusalReason.WrongWork },
        { "wrong inner size", StatusCode.PermissionDenied, ProbeRefusalReason.WrongWork },
        { "inner size past the exact bound", StatusCode.InvalidArgument, ProbeRefusalReason.Malformed },
        { "download on a liveness check", StatusCode.PermissionDenied, ProbeRefusalReason.WrongKind },
        { "second download", StatusCode.PermissionDenied, ProbeRefusalReason.Replayed },
        { "pings past the limit", StatusCode.PermissionDenied, ProbeRefusalReason.TooManyPings },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Probe_NotTheAssignedCheckersAnnouncedWork_IsRefusedAndCounted(string request, StatusCode code, ProbeRefusalReason reason)
    {
        Announce("chk_cap", CheckKind.Capacity);
        Announce("chk_live", CheckKind.Liveness);
        Announce("chk_svc", CheckKind.Service);
        Announce("chk_old", CheckKind.Capacity, expires: TimeProvider.System.GetUtcNow().AddSeconds(-1));
        var seed = new byte[MatrixChallenge.SeedLength];
        var good = Sign(_checker, "chk_cap", HostId, CheckKind.Capacity);
        var answeredBefore = 0L;

        var refused = await Assert.ThrowsAsync<RpcException>(() => request switch
        {
            "unsigned" => CapacityAsync(Start(new ProbeAuth { CheckId = "chk_cap", Checker = _checker.Address.Value, Nonce = "n1" }, seed)),
            "checker not assigned" => CapacityAsync(Start(Sign(_otherChecker, "chk_cap", HostId, CheckKind.Capacity), seed)),
            "check not announced" => CapacityAsync(Start(Sign(_checker, "chk_nope", HostId, CheckKind.Capacity), seed)),
            "check expired" => CapacityAsync(Start(Sign(_checker, "chk_old", HostId, CheckKind.Capacity), seed)),
            "signed for another host" => CapacityAsync(Start(Sign(_checker, "chk_cap", "host_other", CheckKind.Capacity), seed)),
            "signed an hour ago" => CapacityAsync(Start(Sign(_checker, "chk_cap", HostId, CheckKind.Capacity, TimeSpan.FromHours(-1)), seed)),
            "replayed start" => ReplayAsync(),
            "wrong size" => CapacityAsync(Start(good, seed, size: Size * 2)),
            "wrong inner size" => CapacityAsync(Start(good, seed, innerSize: Size * 4)),
            "inner size past the exact bound" => CapacityAsync(Start(good, seed, innerSize: MatrixChallenge.ExactInnerDimensionLimit)),
            "download on a liveness check" => DownloadAsync(Sign(_checker, "chk_live", HostId, CheckKind.Liveness)),
            "second download" => DownloadTwiceAsync(),
            "pings past the limit" => PingPastTheLimitAsync(),
            _ => throw new ArgumentOutOfRangeException(nameof(request)),
        });

        Assert.Equal(code, refused.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(refused.Status.Detail));
        Assert.Equal(1, _probe.Counters.RefusedFor(reason));
        Assert.Equal(1, _probe.Counters.Refused);
        if (request is not ("replayed start" or "second download" or "pings past the limit"))
            Assert.Equal(answeredBefore, _probe.Counters.Answered); // nothing was computed for it

        async Task DownloadTwiceAsync()
        {
            await DownloadAsync(Sign(_checker, "chk_svc", HostId, CheckKind.Service));
            answeredBefore = _probe.Counters.Answered;
            await DownloadAsync(Sign(_checker, "chk_svc", HostId, CheckKind.Service));
        }

        async Task PingPastTheLimitAsync()
        {
            for (var i = 0; i < ProbeAdmission.MaxPingsPerChecker; i++)
                await _client.PingAsync(new PingRequest { Auth = Sign(_checker, "chk_live", HostId, CheckKind.Liveness) });
            answeredBefore = _probe.Counters.Answered;
            await _client.PingAsync(new PingRequest { Auth = Sign(_checker, "chk_live", HostId, CheckKind.Liveness) });
        }

        async Task ReplayAsync()
        {
            await CapacityAsync(Start(good, seed));
            answeredBefore = _probe.Counters.Answered;
            await CapacityAsync(Start(good, seed));
        }
    }

    [Fact]
    public async Task Capacity_ManyRowsOfALargeProduct_ComeInSeveralMessagesThatAllVerify()
    {
        // 256 rows of each of 2 GPUs at n = 2,048 are about 4.5 MiB: more than one opening message.
        const int size = 2048;
        Announce("chk_big", CheckKind.Capacity, size: size, products: 1);
        var seed = RandomNumberGenerator.GetBytes(MatrixChallenge.SeedLength);
        using var call = _client.Capacity();
        await call.RequestStream.WriteAsync(new CapacityRequest
        {
            Start = new CapacityStart { Auth = Sign(_checker, "chk_big", HostId, CheckKind.Capacity), Seed = ByteString.CopyFrom(seed), Size = size, Products = 1 },
        });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var commit = call.ResponseStream.Current.Commit;
        var rows = FreivaldsCheck.PickRows(size, FreivaldsCheck.DefaultOpenedRows, checkerSeed: 42);
        var open = new CapacityOpen();
        foreach (var gpu in commit.Gpus)
            open.Rows.AddRange(rows.Select(r => new RowRequest { Gpu = gpu.Gpu, Product = 0, Row = r }));

        await call.RequestStream.WriteAsync(new CapacityRequest { Open = open });
        await call.RequestStream.CompleteAsync();
        var messages = 0;
        var openings = new List<RowOpening>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            messages++;
            openings.AddRange(call.ResponseStream.Current.Openings.Rows);
        }

        Assert.True(messages > 1, $"{messages} message(s)");
        Assert.Equal(open.Rows.Count, openings.Count);
        var challenge = new MatrixChallenge(seed, size);
        foreach (var gpu in commit.Gpus)
        {
            var opened = openings.Where(o => o.Gpu == gpu.Gpu)
                .Select(o => new MatrixChallengeOpening(o.Row, [.. o.Values], [.. o.Path.Select(h => h.ToByteArray())])).ToList();
            var verdict = FreivaldsCheck.VerifyOpenings(challenge.Derive(gpu.Gpu, 0), gpu.ProductRoots[0].Span, rows, opened, checkerSeed: 7);
            Assert.True(verdict.Passed, verdict.Reason);
        }
    }

    private void Announce(string checkId, string kind, DateTimeOffset? expires = null, int size = Size, int products = Products, int innerSize = 0)
    {
        var expect = new ExpectCheck
        {
            CheckId = checkId,
            Kind = kind,
            ExpiresAtUnixMs = (expires ?? TimeProvider.System.GetUtcNow().AddMinutes(5)).ToUnixTimeMilliseconds(),
            Size = size,
            Products = products,
            TimingSize = Size,
            TimingProducts = Products,
            InnerSize = innerSize,
            TimingInnerSize = innerSize,
        };
        expect.Checkers.Add(_checker.Address.Value);
        _probe.Expect(expect);
    }

    private static ProbeAuth Sign(Wallet checker, string checkId, string hostId, string kind, TimeSpan? skew = null)
    {
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        var at = TimeProvider.System.GetUtcNow() + (skew ?? TimeSpan.Zero);
        return new ProbeAuth
        {
            CheckId = checkId,
            Checker = checker.Address.Value,
            Nonce = nonce,
            TimestampUnixSeconds = at.ToUnixTimeSeconds(),
            Signature = checker.Sign(new ProbeStatement(checkId, hostId, kind, nonce).ToCanonical(Network, checker.Address, at)),
        };
    }

    private static CapacityRequest Start(ProbeAuth auth, byte[] seed, int size = Size, int innerSize = 0) =>
        new() { Start = new CapacityStart { Auth = auth, Seed = ByteString.CopyFrom(seed), Size = size, Products = Products, InnerSize = innerSize } };

    // A capacity run up to its commitment; throws the refusal, if any.
    private async Task CapacityAsync(CapacityRequest start)
    {
        using var call = _client.Capacity();
        await call.RequestStream.WriteAsync(start);
        await call.RequestStream.CompleteAsync();
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
        }
    }

    private async Task DownloadAsync(ProbeAuth auth)
    {
        using var call = _client.Download(new DownloadRequest { Auth = auth, Bytes = 1024 });
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
        }
    }
}
