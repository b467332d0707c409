using Gpunet.Core.Identity;
using Gpunet.Core.Verification;
using Gpunet.Protocol;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace Gpunet.IntegrationTests.Checker;

/// <summary>A small host probe for the checker's tests: answers only requests signed for its check (ProbeStatement),
/// computes the seeded products honestly on the CPU, and moves the test's clock by the time its card would take, so
/// the checker's timing verdict is exact.</summary>
internal sealed class TestHostProbe(FakeTimeProvider clock, string network, Assignment check) : HostProbe.HostProbeBase
{
    public static readonly TimeSpan PingTime = TimeSpan.FromMilliseconds(1);
    public static readonly TimeSpan DownloadTime = TimeSpan.FromMilliseconds(100);

    private static readonly ISignatureScheme Signatures = Secp256k1SignatureScheme.Instance;

    public ProbeBehaviour Behaviour { get; init; }

    /// <summary>How many probes are refused as not announced yet before the check is (a host whose coordinator's
    /// announcement comes after the checker's probe).</summary>
    public int UnannouncedProbes { get; init; }

    /// <summary>What the host says when it refuses a probe as not announced (a hostile host may say a lot).</summary>
    public string? RefusalDetail { get; init; }

    /// <summary>The probes refused as not announced so far.</summary>
    public int Refused => Volatile.Read(ref _refused);

    private int _refused;

    /// <summary>The model whose speed the GPUs really have (<see cref="ProbeBehaviour.SlowerCard"/>).</summary>
    public string ActualModel { get; init; } = "RTX-4090-24GB";

    public override Task<PingReply> Ping(PingRequest request, ServerCallContext context)
    {
        Authorize(request.Auth);
        clock.Advance(PingTime + (Behaviour == ProbeBehaviour.DelayedPing && check.Kind == CheckKind.Capacity ? PingDelay() : TimeSpan.Zero));
        return Task.FromResult(new PingReply { Payload = request.Payload, HostId = check.HostId });
    }

    public override async Task Download(DownloadRequest request, IServerStreamWriter<DownloadChunk> responseStream, ServerCallContext context)
    {
        Authorize(request.Auth);
        clock.Advance(DownloadTime);
        var chunk = new byte[64 * 1024];
        for (var sent = 0; sent < request.Bytes; sent += chunk.Length)
            await responseStream.WriteAsync(new DownloadChunk { Data = ByteString.CopyFrom(chunk, 0, Math.Min(chunk.Length, request.Bytes - sent)) });
    }

    public override async Task Capacity(IAsyncStreamReader<CapacityRequest> requestStream, IServerStreamWriter<CapacityReply> responseStream,
        ServerCallContext context)
    {
        if (!await requestStream.MoveNext() || requestStream.Current.Start is not { } start)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "start first"));
        Authorize(start.Auth);
        var task = check.Capacity;
        if (Behaviour == ProbeBehaviour.NeverAnswers)
        {
            clock.Advance(TimeSpan.FromMinutes(10));
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }

        // The inner size the checker sent (0: square), or square for the cheat that skips the rectangular work.
        var inner = Behaviour == ProbeBehaviour.SquareProduct || start.InnerSize == 0 ? start.Size : start.InnerSize;
        var root = new MatrixChallenge(start.Seed.Span, start.Size, inner);
        var gpus = Behaviour == ProbeBehaviour.MissingGpu ? task.Gpus.SkipLast(1) : task.Gpus;
        var products = new Dictionary<(int, int), (int[] C, MatrixChallengeCommitment Commitment)>();
        var commit = new CapacityCommit();
        foreach (var gpu in gpus)
        {
            var committed = new GpuCommit { Gpu = gpu.Index };
            for (var p = 0; p < start.Products; p++)
            {
                var c = MatrixChallengeProduct.Compute(root.Derive(gpu.Index, p));
                if (Behaviour == ProbeBehaviour.WrongProduct)
                {
                    for (var i = 0; i < start.Size; i++)
                        c[i * start.Size]++;
                }

                var commitment = MatrixChallengeCommitment.Commit(c, start.Size);
                products[(gpu.Index, p)] = (c, commitment);
                committed.ProductRoots.Add(ByteString.CopyFrom(commitment.Root));
            }

            commit.Gpus.Add(committed);
        }

        var model = Behaviour is ProbeBehaviour.SlowerCard or ProbeBehaviour.DelayedPing ? ActualModel : task.Gpus[0].Model;
        clock.Advance(CapacityTiming.ExpectedTime(model, task.TimingSize, MatrixChallenge.EffectiveInnerSize(task.TimingSize, task.TimingInnerSize), task.TimingProducts));
        await responseStream.WriteAsync(new CapacityReply { Commit = commit });

        if (!await requestStream.MoveNext() || requestStream.Current.Open is not { } open)
            return;
        var openings = new CapacityOpenings();
        foreach (var ask in open.Rows)
        {
            var (c, commitment) = products[(ask.Gpu, ask.Product)];
            var opening = commitment.Open(c, ask.Row);
            var row = new RowOpening { Gpu = ask.Gpu, Product = ask.Product, Row = ask.Row };
            row.Values.AddRange(opening.Values);
            row.Path.AddRange(opening.Path.Select(ByteString.CopyFrom));
            openings.Rows.Add(row);
        }

        await responseStream.WriteAsync(new CapacityReply { Openings = openings });
    }

    // Enough that 1.3 × the delayed round trip covers the slower card's time beyond the card band, and 100 ms more.
    private TimeSpan PingDelay()
    {
        var task = check.Capacity;
        var late = CapacityTiming.ExpectedTime(ActualModel, task.TimingSize, task.TimingProducts)
            - (CapacityTiming.ExpectedTime(task.Gpus[0].Model, task.TimingSize, task.TimingProducts) * 1.08);
        return (late / 1.3) + TimeSpan.FromMilliseconds(100);
    }

    // Only one of the check's checkers, signing this check of this host: what the agent's probe server must also ask.
    private void Authorize(ProbeAuth auth)
    {
        if (Volatile.Read(ref _refused) < UnannouncedProbes)
        {
            Interlocked.Increment(ref _refused);
            throw new RpcException(new Status(StatusCode.FailedPrecondition, RefusalDetail ?? $"Check {auth.CheckId} was not announced to this host."));
        }

        var text = new ProbeStatement(auth.CheckId, check.HostId, check.Kind, auth.Nonce)
            .ToCanonical(network, Address.Parse(auth.Checker), DateTimeOffset.FromUnixTimeSeconds(auth.TimestampUnixSeconds));
        if (auth.CheckId != check.CheckId || !check.Checkers.Contains(auth.Checker)
            || !Signatures.Verify(text, auth.Signature))
            throw new RpcException(new Status(StatusCode.PermissionDenied, "not a probe of this check by one of its checkers"));
    }
}
