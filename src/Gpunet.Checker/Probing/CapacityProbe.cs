using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using Gpunet.Core.Verification;
using Gpunet.Protocol;
using Google.Protobuf;
using Grpc.Core;

namespace Gpunet.Checker.Probing;

/// <summary>A capacity check against a host's probe endpoint: send a fresh seed, time the commitment to every GPU's
/// products, open rows the host could not foresee, and verify them (Freivalds) and the time (the claimed model).</summary>
/// <remarks>The seed, the rows and the Freivalds vectors come from the operating system's CSPRNG and are never reused:
/// the host learns the seed only when the timer starts and the rows only after it has committed.</remarks>
internal static class CapacityProbe
{
    /// <summary>Runs the check; <paramref name="roundTrip"/> is the round trip the timing allowance rests on (the
    /// smallest this checker has seen to the host recently, <see cref="RoundTripHistory.Allowance"/>).</summary>
    /// <exception cref="ProbeFailedException">A malformed task, or an answer out of turn.</exception>
    public static async Task<CapacityFinding> RunAsync(ProbeConnection probe, CapacityTask? task, TimeSpan roundTrip, TimeProvider time,
        CancellationToken ct)
    {
        if (TaskError(task) is { } malformed)
            throw new ProbeFailedException($"the capacity task is malformed: {malformed}");
        var seed = RandomNumberGenerator.GetBytes(MatrixChallenge.SeedLength);
        var start = new CapacityRequest
        {
            Start = new CapacityStart
            {
                Auth = probe.Auth(), Seed = ByteString.CopyFrom(seed), Size = task!.Size, InnerSize = Inner(task), Products = task.Products,
            },
        };

        using var call = probe.Client.Capacity(cancellationToken: ct);
        var sent = time.GetTimestamp();
        await call.RequestStream.WriteAsync(start, ct);
        var commit = (await NextAsync(call, CapacityReply.BodyOneofCase.Commit, ct)).Commit;
        var measured = time.GetElapsedTime(sent);

        var plans = task.Gpus.OrderBy(g => g.Index).Select(g => Plan(g, commit, task)).ToList();
        var open = new CapacityOpen();
        foreach (var plan in plans.Where(p => p.Failure is null))
            open.Rows.AddRange(plan.Picks.Select(r => new RowRequest { Gpu = plan.Gpu.Index, Product = r.Product, Row = r.Row }));
        var openings = new Dictionary<(int Gpu, int Product, int Row), RowOpening>();
        if (open.Rows.Count > 0)
        {
            await call.RequestStream.WriteAsync(new CapacityRequest { Open = open }, ct);
            // The host sends the openings in several messages (each at most a few MiB); read until every asked row
            // is in. A message with none of them, or one more than there were rows, ends it: a host cannot keep the
            // checker reading.
            var asked = open.Rows.Select(r => (r.Gpu, r.Product, r.Row)).ToHashSet();
            for (var messages = 0; openings.Count < asked.Count && messages < asked.Count; messages++)
            {
                var added = 0;
                foreach (var row in (await NextAsync(call, CapacityReply.BodyOneofCase.Openings, ct)).Openings.Rows)
                {
                    if (asked.Contains((row.Gpu, row.Product, row.Row)) && openings.TryAdd((row.Gpu, row.Product, row.Row), row))
                        added++;
                }

                if (added == 0)
                    break;
            }
        }

        await call.RequestStream.CompleteAsync();

        // B·r for each opened product is O(n·k) (about 20 ms at 2,048 × 65,536, for every product a GPU's rows touch):
        // off the caller's thread, GPUs in parallel, it is CPU work.
        var challenge = new MatrixChallenge(seed, task.Size, Inner(task));
        var verdicts = await Task.Run(() => plans.AsParallel().AsOrdered().WithCancellation(ct)
            .Select(p => Judge(p, challenge, openings, task, measured, roundTrip)).ToList(), ct);
        var failed = verdicts.Where(v => !v.Passed).ToList();
        var reason = failed.Count == 0
            ? string.Create(CultureInfo.InvariantCulture,
                $"all {verdicts.Count} GPUs committed in {measured.TotalMilliseconds:0.#} ms and their opened rows are A·B")
            : string.Create(CultureInfo.InvariantCulture, $"{failed.Count} of {verdicts.Count} GPUs failed; GPU {failed[0].Index}: {failed[0].Reason}");
        return new CapacityFinding(failed.Count == 0, reason, verdicts);
    }

    /// <summary>A failed verdict for every claimed GPU, when the check failed before any could be judged.</summary>
    public static IEnumerable<GpuVerdict> FailEvery(CapacityTask? task, string reason) =>
        (task?.Gpus ?? []).OrderBy(g => g.Index).Select(g => new GpuVerdict
        {
            Index = g.Index,
            Passed = false,
            Reason = reason,
            ExpectedUs = ExpectedMicros(g.Model, task!),
        });

    /// <summary>Passing verdicts for every claimed GPU without probing: the lazy checker's cheat.</summary>
    public static IEnumerable<GpuVerdict> PassEvery(CapacityTask? task) =>
        (task?.Gpus ?? []).OrderBy(g => g.Index).Select(g => new GpuVerdict
        {
            Index = g.Index,
            Passed = true,
            ProductCorrect = true,
            Reason = "not probed (lazy checker)",
            ExpectedUs = ExpectedMicros(g.Model, task!),
        });

    // One GPU: what it committed, and the rows to open (or why it fails without them).
    private sealed record GpuPlan(ClaimedGpu Gpu, IReadOnlyList<ByteString> Roots, IReadOnlyList<CapacityRowPick> Picks, ulong Seed, string? Failure);

    private static GpuPlan Plan(ClaimedGpu gpu, CapacityCommit commit, CapacityTask task)
    {
        var secret = BinaryPrimitives.ReadUInt64LittleEndian(RandomNumberGenerator.GetBytes(8));
        GpuPlan Fail(string why) => new(gpu, [], [], secret, why);
        if (!GpuThroughput.TryGet(gpu.Model, out _))
            return Fail($"claims {gpu.Model}, a model with no expected throughput");
        var commits = commit.Gpus.Where(c => c.Gpu == gpu.Index).ToList();
        if (commits.Count == 0)
            return Fail($"missing from the commitment (claimed {gpu.Model})");
        if (commits.Count > 1)
            return Fail("committed more than once");
        var roots = commits[0].ProductRoots;
        if (roots.Count != task.Products)
            return Fail(string.Create(CultureInfo.InvariantCulture, $"committed {roots.Count} products, {task.Products} were asked"));
        if (roots.FirstOrDefault(r => r.Length != MatrixChallengeCommitment.HashLength) is { } bad)
            return Fail(string.Create(CultureInfo.InvariantCulture, $"committed a root of {bad.Length} bytes, not {MatrixChallengeCommitment.HashLength}"));
        return new GpuPlan(gpu, roots, CapacityRowPlan.Pick(task.Size, task.Products, task.OpenedRows, secret), secret, null);
    }

    private static GpuVerdict Judge(GpuPlan plan, MatrixChallenge challenge, Dictionary<(int, int, int), RowOpening> openings,
        CapacityTask task, TimeSpan measured, TimeSpan roundTrip)
    {
        var verdict = new GpuVerdict
        {
            Index = plan.Gpu.Index,
            AnsweredUs = Micros(measured),
            ExpectedUs = ExpectedMicros(plan.Gpu.Model, task),
        };
        if (plan.Failure is { } failure)
        {
            verdict.Reason = failure;
            return verdict;
        }

        if (ProductError(plan, challenge, openings, task.SecurityBits) is { } wrong)
        {
            verdict.Reason = wrong;
            return verdict;
        }

        verdict.ProductCorrect = true;

        var judged = CapacityTiming.Judge(plan.Gpu.Model, task.TimingSize, TimingInner(task), task.TimingProducts, measured, roundTrip,
            TimingOptions(task));
        var timing = task.TimingReportOnly ? judged.ReportedOnly() : judged;
        verdict.Passed = timing.Passed;
        verdict.Reason = timing.Reason;
        verdict.LimitUs = Micros(timing.Limit);
        return verdict;
    }

    // Null when every opened row is committed and equals A·B; otherwise why not.
    private static string? ProductError(GpuPlan plan, MatrixChallenge challenge, Dictionary<(int, int, int), RowOpening> openings, int securityBits)
    {
        foreach (var product in plan.Picks.GroupBy(p => p.Product))
        {
            var rows = product.Select(p => p.Row).ToList();
            var opened = new List<MatrixChallengeOpening>(rows.Count);
            foreach (var row in rows)
            {
                if (!openings.TryGetValue((plan.Gpu.Index, product.Key, row), out var o))
                    return string.Create(CultureInfo.InvariantCulture, $"row {row} of product {product.Key} was asked for and not opened");
                opened.Add(new MatrixChallengeOpening(row, [.. o.Values], [.. o.Path.Select(p => p.ToByteArray())]));
            }

            var found = FreivaldsCheck.VerifyOpenings(challenge.Derive(plan.Gpu.Index, product.Key), plan.Roots[product.Key].Span, rows, opened,
                plan.Seed, securityBits);
            if (!found.Passed)
                return string.Create(CultureInfo.InvariantCulture, $"product {product.Key}: {found.Reason}");
        }

        return null;
    }

    private static string? TaskError(CapacityTask? task) => task switch
    {
        null => "no capacity task",
        { Gpus.Count: 0 } => "no GPUs claimed",
        { InnerSize: < 0 } or { TimingInnerSize: < 0 } => "an inner size is 0 (square) or positive",
        _ when MatrixChallenge.ShapeError(task.Size, Inner(task)) is { } shape => shape,
        { Products: < 1 } or { TimingSize: < 1 } or { TimingProducts: < 1 } or { OpenedRows: < 1 } => "products, timing and opened rows must be at least 1",
        { SecurityBits: < 1 or > FreivaldsCheck.MaxSecurityBits } => $"security bits {task.SecurityBits} are outside 1 … {FreivaldsCheck.MaxSecurityBits}",
        _ when (long)task.Size * task.Products > int.MaxValue => "more rows than a check can open from",
        _ when task.Gpus.Select(g => g.Index).Distinct().Count() != task.Gpus.Count => "a GPU is claimed twice",
        _ => null,
    };

    private static long ExpectedMicros(string model, CapacityTask task) =>
        Micros(CapacityTiming.ExpectedTimeOfTask(model, task.TimingSize, task.TimingInnerSize, task.TimingProducts));

    // k of the products and of the timing work: the task leaves 0 for square.
    private static int Inner(CapacityTask task) => MatrixChallenge.EffectiveInnerSize(task.Size, task.InnerSize);

    private static int TimingInner(CapacityTask task) => MatrixChallenge.EffectiveInnerSize(task.TimingSize, task.TimingInnerSize);

    private static long Micros(TimeSpan t) => t.Ticks / TimeSpan.TicksPerMicrosecond;

    private static async Task<CapacityReply> NextAsync(AsyncDuplexStreamingCall<CapacityRequest, CapacityReply> call,
        CapacityReply.BodyOneofCase expected, CancellationToken ct)
    {
        if (!await call.ResponseStream.MoveNext(ct))
            throw new ProbeFailedException($"the host closed the capacity stream before its {(expected == CapacityReply.BodyOneofCase.Commit ? "commitment" : "openings")}");
        var reply = call.ResponseStream.Current;
        if (reply.BodyCase != expected)
            throw new ProbeFailedException($"the host sent {reply.BodyCase} where {expected} was due");
        return reply;
    }

    // The network's bands where the coordinator sets them, the core's defaults otherwise.
    private static CapacityTimingOptions TimingOptions(CapacityTask task) =>
        new CapacityTimingOptions().WithTaskBands(task.CardBand, task.JitterBand);
}
