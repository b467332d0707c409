using Google.Protobuf;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;
using Gpunet.Protocol;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Gpunet.Agent.Probe;

/// <summary>The agent's probe endpoint (HostProbe in checker.proto): answers a check the coordinator announced, and
/// only to a request one of its checkers signed for this host; refuses, logs and counts anything else (and tells the
/// coordinator, in batches), and starts no work for it.</summary>
internal sealed partial class HostProbeService(AnnouncedChecks checks, ProbeIdentity identity, ICapacityCompute compute,
    IReadOnlyList<int> gpus, ProbeCounters counters, ProbeRefusalOutbox refusals, TimeProvider time, ILogger log) : HostProbe.HostProbeBase
{
    // Download chunks: 64 KiB, from one buffer of bytes that do not compress (a fixed SplitMix64 stream).
    private const int ChunkBytes = 64 * 1024;
    private static readonly ByteString Chunk = ChunkOfNoise();

    // Openings go out in messages of about this size (a row's values and a Merkle path of up to 32 hashes each).
    private const int OpeningsMessageBytes = 2 * 1024 * 1024;

    /// <summary>A honeypot's (<see cref="AgentOptions.Honeypot"/>) compute for its traps (<see cref="AnnouncedCheck.Trap"/>):
    /// a trap's liveness or service probes are never answered, as by a host whose packets are dropped; a capacity trap's
    /// pings are answered and its products are wrong. Null: not a honeypot, traps are ignored.</summary>
    public ICapacityCompute? Traps { get; init; }

    public override async Task<PingReply> Ping(PingRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Payload.Length > ProbeAdmission.MaxPingPayload)
            throw Refuse(new(ProbeRefusalReason.Malformed, $"payload: at most {ProbeAdmission.MaxPingPayload} bytes, not {request.Payload.Length}"), request.Auth, ProbeRpc.Ping);
        var (check, checker) = Admit(request.Auth, ProbeRpc.Ping);
        if (!checks.TryPing(check.CheckId, checker, ProbeAdmission.MaxPingsPerChecker))
            throw Refuse(new(ProbeRefusalReason.TooManyPings,
                $"{checker} has had {ProbeAdmission.MaxPingsPerChecker} pings for check {check.CheckId}: no check needs more."), request.Auth, ProbeRpc.Ping);
        if (Traps is not null && check.Trap && check.Kind != CheckKind.Capacity)
            await NoAnswerAsync(check, context.CancellationToken);
        counters.CountAnswered();
        return new PingReply { Payload = request.Payload, HostId = identity.HostId ?? "" };
    }

    public override async Task Download(DownloadRequest request, IServerStreamWriter<DownloadChunk> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        if (request.Bytes is < 1 or > ProbeAdmission.MaxDownloadBytes)
            throw Refuse(new(ProbeRefusalReason.Malformed, $"bytes: from 1 to {ProbeAdmission.MaxDownloadBytes}, not {request.Bytes}"), request.Auth, ProbeRpc.Download);
        var (check, checker) = Admit(request.Auth, ProbeRpc.Download);
        if (!checks.TryStartRun(check.CheckId, checker))
            throw Refuse(new(ProbeRefusalReason.Replayed, $"{checker} has already downloaded for check {check.CheckId}: a download is answered once per checker."), request.Auth, ProbeRpc.Download);
        if (Traps is not null && check.Trap)
            await NoAnswerAsync(check, context.CancellationToken);
        counters.CountAnswered();
        for (var left = request.Bytes; left > 0; left -= ChunkBytes)
        {
            var data = left >= ChunkBytes ? Chunk : UnsafeByteOperations.UnsafeWrap(Chunk.Memory[..left]);
            await responseStream.WriteAsync(new DownloadChunk { Data = data }, context.CancellationToken);
        }
    }

    public override async Task Capacity(IAsyncStreamReader<CapacityRequest> requestStream, IServerStreamWriter<CapacityReply> responseStream,
        ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var ct = context.CancellationToken;
        if (!await requestStream.MoveNext(ct) || requestStream.Current.Start is not { } start)
            throw Refuse(new(ProbeRefusalReason.Malformed, "start: the first message of a capacity run is its start"), null, ProbeRpc.Capacity);

        var (check, checker) = Admit(start.Auth, ProbeRpc.Capacity);
        if (ProbeAdmission.CheckCapacityStart(check, start.Seed.Length, start.Size, start.Products, start.InnerSize) is { } wrongWork)
            throw Refuse(wrongWork, start.Auth, ProbeRpc.Capacity);
        if (!checks.TryStartRun(check.CheckId, checker))
            throw Refuse(new(ProbeRefusalReason.Replayed, $"{checker} has already started check {check.CheckId}: a capacity run is answered once per checker."), start.Auth, ProbeRpc.Capacity);

        counters.CountAnswered();
        LogCapacityStarted(log, check.CheckId, checker.Value, check.Size, check.Inner, check.Products, gpus.Count);
        var committed = await (Traps is not null && check.Trap ? Traps : compute).ComputeAsync(new MatrixChallenge(start.Seed.Span, check.Size, check.Inner), check, ct);
        var commit = new CapacityCommit();
        foreach (var gpu in committed)
        {
            var row = new GpuCommit { Gpu = gpu.Gpu };
            row.ProductRoots.AddRange(gpu.Products.Select(p => ByteString.CopyFrom(p.Root)));
            commit.Gpus.Add(row);
        }

        await responseStream.WriteAsync(new CapacityReply { Commit = commit }, ct);

        // One opening, then the run is over.
        if (!await requestStream.MoveNext(ct))
            return;
        if (requestStream.Current.Open is not { } open)
            throw Refuse(new(ProbeRefusalReason.Malformed, "open: after the commitment only an open is answered"), start.Auth, ProbeRpc.Capacity);
        if (ProbeAdmission.CheckOpenRequest(open.Rows.Select(r => (r.Gpu, r.Product, r.Row)), gpus, check.Size, check.Products) is { } badRows)
            throw Refuse(badRows, start.Auth, ProbeRpc.Capacity);

        // Each product's asked rows are opened together, products in parallel: a product not kept is recomputed on the
        // CPU once for all of its rows (a host with many GPUs has the cores).
        var byGpu = committed.ToDictionary(g => g.Gpu);
        var opened = open.Rows.GroupBy(r => (r.Gpu, r.Product)).AsParallel().WithCancellation(ct).SelectMany(asked =>
        {
            var rows = asked.Select(r => r.Row).Distinct().ToList();
            return rows.Zip(byGpu[asked.Key.Gpu].Products[asked.Key.Product].Open(rows), (row, o) => (Key: (asked.Key.Gpu, asked.Key.Product, row), Opening: o));
        }).ToDictionary(o => o.Key, o => o.Opening);
        // Several messages of at most OpeningsMessageBytes each: 256 rows on each of 8 GPUs are about 17 MiB at
        // n = 2,048, past any sensible gRPC message limit; the checker reads until every asked row has come.
        var rowsPerMessage = Math.Max(1, OpeningsMessageBytes / ((check.Size * sizeof(int)) + (32 * 32)));
        foreach (var chunk in open.Rows.Chunk(rowsPerMessage))
        {
            var openings = new CapacityOpenings();
            foreach (var asked in chunk)
            {
                var opening = opened[(asked.Gpu, asked.Product, asked.Row)];
                var reply = new RowOpening { Gpu = asked.Gpu, Product = asked.Product, Row = asked.Row };
                reply.Values.AddRange(opening.Values);
                reply.Path.AddRange(opening.Path.Select(ByteString.CopyFrom));
                openings.Rows.Add(reply);
            }

            await responseStream.WriteAsync(new CapacityReply { Openings = openings }, ct);
        }
    }

    /// <summary>The announced check and its signer when <paramref name="auth"/> may be answered for
    /// <paramref name="rpc"/>; otherwise throws the refusal.</summary>
    private (AnnouncedCheck Check, Address Checker) Admit(ProbeAuth? auth, ProbeRpc rpc)
    {
        var credentials = auth is null ? null : new ProbeCredentials(auth.CheckId, auth.Checker, auth.Nonce, auth.TimestampUnixSeconds, auth.Signature);
        var check = auth is null ? null : checks.Find(auth.CheckId);
        var (hostId, network) = identity.Current;
        if (ProbeAdmission.Admit(check, credentials, rpc, hostId, network, time.GetUtcNow(), EthereumSignatureScheme.Instance) is { } refusal)
            throw Refuse(refusal, auth, rpc);
        return (check!, Address.Parse(auth!.Checker));
    }

    private RpcException Refuse(ProbeRefusal refusal, ProbeAuth? auth, ProbeRpc rpc)
    {
        counters.CountRefused(refusal.Reason);
        refusals.Add(auth?.CheckId, auth?.Checker, refusal.Reason);
        LogRefused(log, rpc.ToString(), auth?.CheckId ?? "", auth?.Checker ?? "", refusal.Reason.ToString(), refusal.Detail);
        // Not announced (yet): the announcement may still be on its way over the coordinator's stream, and the checker
        // tries again a moment later (CheckRunner); every other refusal is final.
        var code = refusal.Reason switch
        {
            ProbeRefusalReason.Malformed => StatusCode.InvalidArgument,
            ProbeRefusalReason.NotAnnounced => StatusCode.FailedPrecondition,
            _ => StatusCode.PermissionDenied,
        };
        return new RpcException(new Status(code, refusal.Detail));
    }

    // What a checker hears from a host whose packets are dropped: nothing, until it gives up, or at the latest until the
    // check expires (counted like any probe first, so that a checker holds at most so many such calls open).
    private async Task NoAnswerAsync(AnnouncedCheck check, CancellationToken ct)
    {
        var left = check.ExpiresAt - time.GetUtcNow();
        if (left > TimeSpan.Zero)
            await Task.Delay(left, time, ct);
        throw new RpcException(new Status(StatusCode.DeadlineExceeded, "no answer"));
    }

    private static ByteString ChunkOfNoise()
    {
        var bytes = new byte[ChunkBytes];
        var random = new Core.Scheduling.SeededRandom(0x70_726F_6265);
        for (var i = 0; i < bytes.Length; i += 8)
            BitConverter.TryWriteBytes(bytes.AsSpan(i), random.NextUInt64());
        return UnsafeByteOperations.UnsafeWrap(bytes);
    }

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "Probe {Rpc} refused (check {CheckId}, checker {Checker}, {Reason}): {Detail}")]
    private static partial void LogRefused(ILogger logger, string rpc, string checkId, string checker, string reason, string detail);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Information, Message = "Capacity check {CheckId} by {Checker}: {Products} products of {Size} × {Inner} by {Inner} × {Size} on each of {Gpus} GPUs")]
    private static partial void LogCapacityStarted(ILogger logger, string checkId, string checker, int size, int inner, int products, int gpus);
}
