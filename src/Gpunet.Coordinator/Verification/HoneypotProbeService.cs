using Gpunet.Core.Verification;
using Gpunet.Protocol;
using Google.Protobuf;
using Grpc.Core;

namespace Gpunet.Coordinator.Verification;

/// <summary>Answers probes of planted honeypot hosts as a cheating host would: a capacity honeypot alive and quick, with a
/// product that is wrong in every row (properly committed, so only Freivalds' check can tell); a liveness honeypot not at
/// all, as a host that is down. An honest checker fails it; a lazy one that passes without looking is caught.</summary>
internal sealed class HoneypotProbeService(Honeypot honeypot) : HostProbe.HostProbeBase
{
    public override Task<PingReply> Ping(PingRequest request, ServerCallContext context)
    {
        var check = honeypot.Authorize(request.Auth, capacityStart: false, out var refusal) ?? throw Refused(refusal);
        // A planted liveness host is down: only a checker that never pinged it can call it up.
        if (check.Record.Kind == CheckKind.Liveness)
            throw new RpcException(new Status(StatusCode.Unavailable, "no answer"));
        if (request.Payload.Length > 1024)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "payload: at most 1 KiB"));
        return Task.FromResult(new PingReply { Payload = request.Payload, HostId = check.Record.HostId });
    }

    public override Task Download(DownloadRequest request, IServerStreamWriter<DownloadChunk> responseStream, ServerCallContext context) =>
        throw Refused("this check does not measure throughput");

    public override async Task Capacity(IAsyncStreamReader<CapacityRequest> requestStream, IServerStreamWriter<CapacityReply> responseStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        if (!await requestStream.MoveNext(ct) || requestStream.Current.BodyCase != CapacityRequest.BodyOneofCase.Start)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "expected a start"));
        var start = requestStream.Current.Start;
        var check = honeypot.Authorize(start.Auth, capacityStart: true, out var refusal) ?? throw Refused(refusal);
        var task = check.Task!;
        if (start.Seed.Length != MatrixChallenge.SeedLength || start.Size != task.Size || start.Products != task.Products)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "size, products or seed differ from the check's"));
        var challenge = new MatrixChallenge(start.Seed.Span, task.Size);
        var products = new Dictionary<(int Gpu, int Product), (int[] C, MatrixChallengeCommitment Commitment)>();
        var commit = new CapacityCommit();
        foreach (var gpu in task.Gpus)
        {
            var roots = new GpuCommit { Gpu = gpu.Index };
            for (var p = 0; p < task.Products; p++)
            {
                var c = MatrixChallengeProduct.Compute(challenge.Derive(gpu.Index, p));
                // Every row off by one in one place: what a card that skips work and guesses would commit to.
                for (var row = 0; row < task.Size; row++)
                    c[(row * task.Size) + (row % task.Size)] += 1;
                var commitment = MatrixChallengeCommitment.Commit(c, task.Size);
                products[(gpu.Index, p)] = (c, commitment);
                roots.ProductRoots.Add(ByteString.CopyFrom(commitment.Root));
            }

            commit.Gpus.Add(roots);
        }

        await responseStream.WriteAsync(new CapacityReply { Commit = commit }, ct);
        if (!await requestStream.MoveNext(ct) || requestStream.Current.BodyCase != CapacityRequest.BodyOneofCase.Open)
            return;
        var openings = new CapacityOpenings();
        foreach (var asked in requestStream.Current.Open.Rows.Take(64 * Math.Max(1, task.Gpus.Count)))
        {
            if (!products.TryGetValue((asked.Gpu, asked.Product), out var product) || asked.Row < 0 || asked.Row >= task.Size)
                continue;
            var opening = product.Commitment.Open(product.C, asked.Row);
            openings.Rows.Add(new RowOpening
            {
                Gpu = asked.Gpu, Product = asked.Product, Row = asked.Row, Values = { opening.Values },
                Path = { opening.Path.Select(ByteString.CopyFrom) },
            });
        }

        await responseStream.WriteAsync(new CapacityReply { Openings = openings }, ct);
    }

    private static RpcException Refused(string why) => new(new Status(StatusCode.PermissionDenied, why));
}
