using Gpunet.Checker;
using Gpunet.Checker.Probing;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;
using Gpunet.Protocol;
using Microsoft.Extensions.Time.Testing;

namespace Gpunet.IntegrationTests.Checker;

/// <summary>The checker's runner against a real gRPC host probe on loopback: the verdicts a user reads, and a signature
/// anyone can verify with <see cref="CheckReportStatement"/>.</summary>
public sealed class CheckRunnerTests
{
    private const string Network = "test";
    private const string Claimed = "H100-SXM5-80GB";
    private static readonly Wallet Checker = Wallet.Create();
    private static readonly ISignatureScheme Signatures = Secp256k1SignatureScheme.Instance;

    [Fact]
    public async Task Capacity_HonestHost_EveryGpuPassesAndTheReportVerifies()
    {
        var (report, assignment) = await RunAsync(CheckKind.Capacity, ProbeBehaviour.Honest);

        Assert.True(report.Passed, report.Reason);
        Assert.Equal([0, 1], report.Gpus.Select(g => g.Index));
        Assert.All(report.Gpus, g => Assert.True(g.Passed && g.ProductCorrect, g.Reason));
        // The probe's clock moved 1 ms per ping: the median round trip, exactly.
        Assert.Equal(1000, report.RoundTripUs);
        var expected = CapacityTiming.ExpectedTime(Claimed, assignment.Capacity.TimingSize, assignment.Capacity.TimingProducts);
        Assert.All(report.Gpus, g => Assert.Equal(expected.Ticks / TimeSpan.TicksPerMicrosecond, g.ExpectedUs));
        AssertSigned(report, assignment);
    }

    [Theory]
    [InlineData(false)] // every row off by one
    [InlineData(true)] // a rectangular task answered with the square product of its seed: 8 times less work, in time
    public async Task Capacity_WrongProduct_FailsWithTheRowThatGaveItAway(bool squareForRectangular)
    {
        var (report, assignment) = squareForRectangular
            ? await RunAsync(CheckKind.Capacity, ProbeBehaviour.SquareProduct, Rectangular)
            : await RunAsync(CheckKind.Capacity, ProbeBehaviour.WrongProduct);

        Assert.False(report.Passed);
        Assert.All(report.Gpus, g => Assert.False(g.Passed || g.ProductCorrect));
        Assert.Contains("is not A·B", report.Reason, StringComparison.Ordinal);
        AssertSigned(report, assignment);
    }

    [Fact]
    public async Task Capacity_SlowerCardThanClaimed_CorrectButTooSlow()
    {
        var (report, assignment) = await RunAsync(CheckKind.Capacity, ProbeBehaviour.SlowerCard);

        Assert.False(report.Passed);
        Assert.All(report.Gpus, g =>
        {
            Assert.True(g.ProductCorrect, g.Reason);
            Assert.False(g.Passed);
            Assert.True(g.AnsweredUs > g.ExpectedUs * 2);
        });
        Assert.Contains("Too slow for H100-SXM5-80GB", report.Reason, StringComparison.Ordinal);
        AssertSigned(report, assignment);
    }

    [Fact]
    public async Task Capacity_TimingOnlyReported_ASlowerCardPassesSayingWhy_ButAWrongProductStillFails()
    {
        var (slow, assignment) = await RunAsync(CheckKind.Capacity, ProbeBehaviour.SlowerCard, task => task.TimingReportOnly = true);
        var (wrong, _) = await RunAsync(CheckKind.Capacity, ProbeBehaviour.WrongProduct, task => task.TimingReportOnly = true);

        // A real GPU before the agent's kernel is measured: its timing is measured and signed, and fails nothing.
        Assert.True(slow.Passed, slow.Reason);
        Assert.All(slow.Gpus, g =>
        {
            Assert.True(g.Passed && g.ProductCorrect, g.Reason);
            Assert.True(g.AnsweredUs > g.LimitUs, "the answer was within the limit: nothing to report");
            Assert.StartsWith("Timing reported, not enforced, on a real GPU", g.Reason, StringComparison.Ordinal);
            Assert.Contains("Too slow for H100-SXM5-80GB", g.Reason, StringComparison.Ordinal);
        });
        AssertSigned(slow, assignment);
        // Its rows are still checked.
        Assert.False(wrong.Passed);
        Assert.All(wrong.Gpus, g => Assert.False(g.ProductCorrect));
    }

    [Fact]
    public async Task Capacity_RectangularTask_HonestHostPassesOnTheRectangularTiming()
    {
        var (report, assignment) = await RunAsync(CheckKind.Capacity, ProbeBehaviour.Honest, Rectangular);

        Assert.True(report.Passed, report.Reason);
        Assert.All(report.Gpus, g => Assert.True(g.Passed && g.ProductCorrect, g.Reason));
        var expected = CapacityTiming.ExpectedTime(Claimed, 2048, 65_536, assignment.Capacity.TimingProducts);
        Assert.All(report.Gpus, g => Assert.Equal(expected.Ticks / TimeSpan.TicksPerMicrosecond, g.ExpectedUs));
        AssertSigned(report, assignment);
    }

    [Fact]
    public async Task Capacity_InnerSizePastTheExactBound_FailsAsAMalformedTask()
    {
        var (report, _) = await RunAsync(CheckKind.Capacity, ProbeBehaviour.Honest,
            task => task.InnerSize = MatrixChallenge.ExactInnerDimensionLimit);

        Assert.False(report.Passed);
        Assert.StartsWith("the capacity task is malformed", report.Reason, StringComparison.Ordinal);
        Assert.Contains("inner size k", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Capacity_HostThatDelaysTheCapacityChecksPings_TooSlowOnceTheCheckerHasSeenItAnswerPromptly()
    {
        // An H100 PCIe (0.76 of the claimed SXM5's speed) that holds each capacity ping ~1.9 s: judged on those pings
        // alone (a checker that never saw the host before) it passes; after a liveness check saw 1 ms, it is too slow.
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var runner = new CheckRunner(Checker, Options(), clock);
        async Task<CheckReport> Run(CheckRunner r, string kind)
        {
            var assignment = Assignment(kind, clock, "");
            await using var server = await GrpcTestServer.StartAsync(
                new TestHostProbe(clock, Network, assignment) { Behaviour = ProbeBehaviour.DelayedPing, ActualModel = "H100-PCIe-80GB" });
            assignment.ProbeEndpoint = server.GrpcUrl;
            var report = await r.RunAsync(assignment, Network, CancellationToken.None);
            AssertSigned(report, assignment);
            return report;
        }

        var firstSight = await Run(new CheckRunner(Checker, Options(), clock), CheckKind.Capacity);
        Assert.True(firstSight.Passed, firstSight.Reason);

        Assert.True((await Run(runner, CheckKind.Liveness)).Passed);
        clock.Advance(TimeSpan.FromHours(2));
        var report = await Run(runner, CheckKind.Capacity);

        Assert.False(report.Passed);
        Assert.Contains("Too slow for H100-SXM5-80GB", report.Reason, StringComparison.Ordinal);
        Assert.All(report.Gpus, g => Assert.True(g.ProductCorrect && g.LimitUs > g.ExpectedUs && g.AnsweredUs > g.LimitUs, g.Reason));
        // The report still says what the pings measured (the median, held), not the allowance.
        Assert.True(report.RoundTripUs > 1_000_000);
    }

    [Fact]
    public async Task Capacity_HostThatDelaysTheCapacityChecksPings_ToACheckerThatNeverSawIt_IsTooSlowPastTheAssignmentsCap()
    {
        // The same held pings at the host's first sight (its registration check): the coordinator capped this checker's
        // allowance at 150 ms, the slowest honest round trip to where the host says it is (RoundTripCap).
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var assignment = Assignment(CheckKind.Capacity, clock, "");
        assignment.AllowanceCapUs = 150_000;
        await using var server = await GrpcTestServer.StartAsync(
            new TestHostProbe(clock, Network, assignment) { Behaviour = ProbeBehaviour.DelayedPing, ActualModel = "H100-PCIe-80GB" });
        assignment.ProbeEndpoint = server.GrpcUrl;

        var report = await new CheckRunner(Checker, Options(), clock).RunAsync(assignment, Network, CancellationToken.None);

        Assert.False(report.Passed, report.Reason);
        Assert.Contains("Too slow for H100-SXM5-80GB", report.Reason, StringComparison.Ordinal);
        var bands = new CapacityTimingOptions();
        Assert.All(report.Gpus, g =>
        {
            var limit = (g.ExpectedUs * (1 + bands.CardBand)) + (150_000 * (1 + bands.JitterBand));
            Assert.InRange(g.LimitUs, limit - 2, limit + 2);
        });
        Assert.True(report.RoundTripUs > 1_000_000, "the report still says what the held pings measured");
        AssertSigned(report, assignment);
    }

    [Fact]
    public async Task Capacity_GpuMissingFromTheCommitment_ThatGpuFails()
    {
        var (report, assignment) = await RunAsync(CheckKind.Capacity, ProbeBehaviour.MissingGpu);

        Assert.False(report.Passed);
        Assert.True(report.Gpus.Single(g => g.Index == 0).Passed);
        var missing = report.Gpus.Single(g => g.Index == 1);
        Assert.False(missing.Passed);
        Assert.Contains("missing from the commitment", missing.Reason, StringComparison.Ordinal);
        AssertSigned(report, assignment);
    }

    [Fact]
    public async Task Capacity_NoCommitmentBeforeTheDeadline_FailsNoAnswerByTheDeadline()
    {
        var (report, assignment) = await RunAsync(CheckKind.Capacity, ProbeBehaviour.NeverAnswers);

        Assert.False(report.Passed);
        Assert.Equal("no answer by the deadline", report.Reason);
        Assert.Equal(2, report.Gpus.Count);
        Assert.All(report.Gpus, g => Assert.False(g.Passed));
        AssertSigned(report, assignment);
    }

    [Fact]
    public async Task Service_Host_ReportsRoundTripAndThroughput()
    {
        var (report, assignment) = await RunAsync(CheckKind.Service, ProbeBehaviour.Honest);

        Assert.True(report.Passed, report.Reason);
        Assert.Equal(1000, report.RoundTripUs);
        // 4 MiB in the probe's 100 ms.
        Assert.Equal(4 * 1024 * 1024 * 8 / 0.1 / 1e6, report.ThroughputMbps, 6);
        Assert.Empty(report.Gpus);
        AssertSigned(report, assignment);
    }

    [Fact]
    public async Task Liveness_Unreachable_FailsSayingSo()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var assignment = Assignment(CheckKind.Liveness, clock, "http://127.0.0.1:1");

        var report = await new CheckRunner(Checker, Options(), clock).RunAsync(assignment, Network, CancellationToken.None);

        Assert.False(report.Passed);
        Assert.StartsWith("unreachable", report.Reason, StringComparison.Ordinal);
        Assert.Equal(0, report.RoundTripUs);
        AssertSigned(report, assignment);
    }

    [Fact]
    public async Task Lazy_UnreachableHost_StillReportsPass()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var assignment = Assignment(CheckKind.Capacity, clock, "http://127.0.0.1:1");

        var report = await new CheckRunner(Checker, Options() with { Lazy = true }, clock).RunAsync(assignment, Network, CancellationToken.None);

        Assert.True(report.Passed);
        Assert.All(report.Gpus, g => Assert.True(g.Passed));
        AssertSigned(report, assignment);
    }

    [Theory]
    [InlineData(3, true)] // the announcement came after three probes: the fourth is answered
    [InlineData(int.MaxValue, false)] // it never came: refused, after AnnouncementWait
    public async Task Liveness_ProbedBeforeTheHostHeardOfTheCheck_IsProbedAgainUntilAnnounced(int refusals, bool announced)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var assignment = Assignment(CheckKind.Liveness, clock, "");
        var probe = new TestHostProbe(clock, Network, assignment) { UnannouncedProbes = refusals };
        var report = await RunWhileTimeMovesAsync(clock, assignment, probe);
        Assert.Equal(announced, report.Passed);
        if (announced)
        {
            Assert.Equal(3, probe.Refused);
            Assert.StartsWith("answered 5 pings", report.Reason, StringComparison.Ordinal);
        }
        else
        {
            // Waits of 100, 200, 400, 800 ms, then a second each, until 5 s were waited: 9 probes, the last one final.
            Assert.Equal(9, probe.Refused);
            Assert.Equal($"the host refused the probe: Check {assignment.CheckId} was not announced to this host.", report.Reason);
        }

        AssertSigned(report, assignment);
    }

    [Fact]
    public async Task Capacity_AHostRefusingAtLength_IsReportedWithTheReasonsTheCoordinatorTakes()
    {
        // A host's refusal is quoted in the report's reason and every GPU's: cut to what the coordinator accepts (it
        // refuses a report whose reason is longer), so a host cannot have the checkers' reports of it thrown out.
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var assignment = Assignment(CheckKind.Capacity, clock, "");
        var probe = new TestHostProbe(clock, Network, assignment) { UnannouncedProbes = int.MaxValue, RefusalDetail = new string('x', 6_000) };
        var report = await RunWhileTimeMovesAsync(clock, assignment, probe);
        Assert.False(report.Passed);
        Assert.Equal(CheckReportStatement.MaxReasonLength, report.Reason.Length);
        Assert.StartsWith("the host refused the probe: xxx", report.Reason, StringComparison.Ordinal);
        Assert.EndsWith("…", report.Reason, StringComparison.Ordinal);
        Assert.All(report.Gpus, g => Assert.InRange(g.Reason.Length, 1, CheckReportStatement.MaxReasonLength));
        AssertSigned(report, assignment);
    }

    // The runner against `probe`, while the test's clock moves on: it waits on the clock between probes.
    private static async Task<CheckReport> RunWhileTimeMovesAsync(FakeTimeProvider clock, Assignment assignment, TestHostProbe probe)
    {
        await using var server = await GrpcTestServer.StartAsync(probe);
        assignment.ProbeEndpoint = server.GrpcUrl;
        var run = new CheckRunner(Checker, Options(), clock).RunAsync(assignment, Network, CancellationToken.None);
        while (!run.IsCompleted)
        {
            clock.Advance(TimeSpan.FromMilliseconds(50));
            await Task.WhenAny(run, Task.Delay(5));
        }

        return await run;
    }

    private static CheckerOptions Options() => new() { Coordinator = new Uri("http://127.0.0.1:1") };

    // n = 32, k = 256 computed; timed as the real H100's work of 2,048 × 65,536 products sized to the target.
    private static void Rectangular(CapacityTask task)
    {
        var work = CapacityTiming.WorkFor(Claimed, 2048, 65_536, 64, new CapacityTimingOptions());
        task.InnerSize = 256;
        task.TimingInnerSize = work.InnerSize;
        task.TimingProducts = work.Products;
    }

    private static async Task<(CheckReport Report, Assignment Assignment)> RunAsync(string kind, ProbeBehaviour behaviour,
        Action<CapacityTask>? shape = null)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var assignment = Assignment(kind, clock, "");
        shape?.Invoke(assignment.Capacity);
        await using var server = await GrpcTestServer.StartAsync(new TestHostProbe(clock, Network, assignment) { Behaviour = behaviour });
        assignment.ProbeEndpoint = server.GrpcUrl;
        var report = await new CheckRunner(Checker, Options(), clock).RunAsync(assignment, Network, CancellationToken.None);
        return (report, assignment);
    }

    private static Assignment Assignment(string kind, FakeTimeProvider clock, string endpoint)
    {
        var now = clock.GetUtcNow();
        var a = new Assignment
        {
            CheckId = "chk-1",
            Kind = kind,
            HostId = "h-1",
            ProbeEndpoint = endpoint,
            IssuedAtUnixMs = now.ToUnixTimeMilliseconds(),
            DeadlineUnixMs = now.AddMinutes(1).ToUnixTimeMilliseconds(),
            Checkers = { Checker.Address.Value, Wallet.Create().Address.Value, Wallet.Create().Address.Value },
        };
        if (kind == CheckKind.Capacity)
        {
            a.Capacity = new CapacityTask
            {
                Size = 32,
                Products = 3,
                // What the claimed model does in the check's target time, as the coordinator sizes it.
                TimingSize = 2048,
                TimingProducts = CapacityTiming.ProductsFor(Claimed, 2048, new CapacityTimingOptions()),
                OpenedRows = 8,
                SecurityBits = FreivaldsCheck.DefaultSecurityBits,
                Gpus = { new ClaimedGpu { Index = 0, Model = Claimed }, new ClaimedGpu { Index = 1, Model = Claimed } },
            };
        }

        return a;
    }

    // What the coordinator does with a report: rebuild the statement from the proto fields and verify the signature.
    private static void AssertSigned(CheckReport report, Assignment assignment)
    {
        var statement = new CheckReportStatement(report.CheckId, assignment.HostId, assignment.Kind, report.Passed, report.RoundTripUs,
            report.ThroughputMbps, [.. report.Gpus.Select(g => new CheckReportStatement.Gpu(g.Index, g.Passed, g.ProductCorrect, g.AnsweredUs, g.ExpectedUs, g.LimitUs))]);
        var text = statement.ToCanonical(Network, Checker.Address, DateTimeOffset.FromUnixTimeSeconds(report.SignedAtUnixSeconds));
        Assert.True(Signatures.Verify(text, report.Signature));
        var forged = (statement with { Passed = !report.Passed }).ToCanonical(Network, Checker.Address, DateTimeOffset.FromUnixTimeSeconds(report.SignedAtUnixSeconds));
        Assert.False(Signatures.Verify(forged, report.Signature));
    }
}
