using Gpunet.Core.Metering;

namespace Gpunet.Core.Tests.Metering;

public sealed class UsageCheckTests
{
    private const long Start = 1_000_000;
    private const long Now = Start + 200_000;

    private static readonly LeaseFacts Running = new("host-a", Start, null, 2, 1000, Attempt: 2);

    /// <summary>Heard every second from the lease's start until now.</summary>
    private static HeardTimeline HeardThroughout()
    {
        var t = new HeardTimeline(maxGapMs: 2_500);
        for (var ms = Start - 1_000; ms <= Now; ms += 1_000)
            t.Heard(ms);
        return t;
    }

    private static UsageStatement Report(long from = Start, long to = Start + 60_000, string host = "host-a", int gpus = 2, int milli = 1000, int attempt = 2) =>
        new("lease-1", host, from, to, gpus, milli, 1, attempt);

    private static UsageDecision Check(UsageStatement s, LeaseFacts? lease = null, long billedThrough = long.MinValue, HeardTimeline? heard = null) =>
        UsageCheck.Check(s, lease ?? Running, billedThrough, Now, heard ?? HeardThroughout());

    [Fact]
    public void Check_HeardPeriodOfRunningLease_BilledWhole()
    {
        var d = Check(Report());

        Assert.True(d.Accepted);
        Assert.Equal(60_000, d.BilledMs);
        Assert.Equal(UsageRefusal.None, d.Code);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Check_ReportFromAnotherAttemptOfTheLease_RefusedNamingBoth(int attempt)
    {
        // The lease moved (attempt 2 runs on host-a): a report from an earlier or an unknown later placement bills nothing.
        var d = Check(Report(attempt: attempt));

        Assert.False(d.Accepted);
        Assert.Equal(UsageRefusal.NotThisHostsLease, d.Code);
        Assert.Contains($"attempt {attempt} of lease lease-1, which is on attempt 2", d.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_HostSilentPartOfPeriod_SilenceNotBilled()
    {
        var heard = new HeardTimeline(maxGapMs: 2_500);
        for (var ms = Start; ms <= Start + 20_000; ms += 1_000)
            heard.Heard(ms);
        for (var ms = Start + 50_000; ms <= Now; ms += 1_000)
            heard.Heard(ms);

        var d = Check(Report(), heard: heard);

        // Heard [0, 20 s) and [50 s, 60 s) of the period: the 30 s silence is not billed.
        Assert.True(d.Accepted);
        Assert.Equal(30_000, d.BilledMs);
    }

    [Fact]
    public void Check_ContinuesWhereBillingEnded_Accepted() =>
        Assert.True(Check(Report(from: Start + 60_000, to: Start + 120_000), billedThrough: Start + 60_000).Accepted);

    [Fact]
    public void Check_OverlapsBilledTime_AlreadyBilled() =>
        Refused(UsageRefusal.AlreadyBilled, Check(Report(from: Start + 30_000, to: Start + 90_000), billedThrough: Start + 60_000));

    [Fact]
    public void Check_OtherHostsLease_NotThisHostsLease() =>
        Refused(UsageRefusal.NotThisHostsLease, Check(Report(host: "host-b")));

    [Fact]
    public void Check_LeaseNotStarted_LeaseNotRunning() =>
        Refused(UsageRefusal.LeaseNotRunning, Check(Report(), Running with { StartedUnixMs = null }));

    [Fact]
    public void Check_PeriodAfterLeaseEnded_LeaseNotRunning() =>
        Refused(UsageRefusal.LeaseNotRunning, Check(Report(from: Start + 60_000, to: Start + 70_000), Running with { EndedUnixMs = Start + 60_000 }));

    [Fact]
    public void Check_LeaseEndedLongAgo_LeaseNotRunning()
    {
        var d = UsageCheck.Check(Report(from: Start, to: Start + 10_000), Running with { EndedUnixMs = Start + 10_000 }, long.MinValue,
            Start + 10_000 + UsageCheck.EndGraceMs + 1, HeardThroughout());
        Refused(UsageRefusal.LeaseNotRunning, d);
    }

    [Fact]
    public void Check_FinalReportJustAfterEnd_BilledUpToEnd()
    {
        var d = Check(Report(from: Start + 60_000, to: Start + 90_500), Running with { EndedUnixMs = Start + 90_000 }, billedThrough: Start + 60_000);

        Assert.True(d.Accepted);
        Assert.Equal(30_000, d.BilledMs);
    }

    [Fact]
    public void Check_EmptyPeriod_Empty()
    {
        Refused(UsageRefusal.Empty, Check(Report(from: Start + 5_000, to: Start + 5_000)));
        Refused(UsageRefusal.Empty, Check(Report(from: Start + 5_000, to: Start + 4_000)));
    }

    [Fact]
    public void Check_EndsBeyondClockSkew_InFuture()
    {
        Assert.True(Check(Report(from: Now - 10_000, to: Now + UsageCheck.MaxSkewMs)).Accepted);
        Refused(UsageRefusal.InFuture, Check(Report(from: Now - 10_000, to: Now + UsageCheck.MaxSkewMs + 1)));
    }

    [Fact]
    public void Check_LongerThanAnHour_TooLong() =>
        Refused(UsageRefusal.TooLong, Check(Report(from: Now - UsageCheck.MaxPeriodMs - 1, to: Now), Running with { StartedUnixMs = 0 }));

    [Fact]
    public void Check_StartsBeforeLease_BeforeStart() =>
        Refused(UsageRefusal.BeforeStart, Check(Report(from: Start - 1, to: Start + 1_000)));

    [Fact]
    public void Check_OtherGpus_GpuMismatch()
    {
        Refused(UsageRefusal.GpuMismatch, Check(Report(gpus: 3)));
        Refused(UsageRefusal.GpuMismatch, Check(Report(milli: 500)));
    }

    private static void Refused(UsageRefusal code, UsageDecision d)
    {
        Assert.False(d.Accepted);
        Assert.Equal(code, d.Code);
        Assert.Equal(0, d.BilledMs);
        Assert.NotEmpty(d.Reason);
    }
}
