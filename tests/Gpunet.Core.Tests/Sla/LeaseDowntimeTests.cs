using Gpunet.Core.Hosts;
using Gpunet.Core.Marketplace;
using Gpunet.Core.Sla;
using Gpunet.Core.Verification;

namespace Gpunet.Core.Tests.Sla;

public sealed class LeaseDowntimeTests
{
    private static readonly DateTimeOffset From = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = From.AddDays(1);

    private static SlaTier Tier(TimeSpan maxReplacement) => new("t", 0.999m, maxReplacement, 50, 0.9,
        [new CreditStep(0.999m, 10), new CreditStep(0.99m, 50)], 25, HostQualification.Any);

    private static DateTimeOffset M(double minutes) => From.AddMinutes(minutes);

    // Runs on A from minute 10; A goes Suspect at 100 and Offline at 101; the lease moves at 102 and runs on B at 105.
    private static readonly List<LeaseStep> Moved =
    [
        new(M(0), LeaseState.Pending, null, "queued"),
        new(M(9), LeaseState.Starting, "host-a", "placed"),
        new(M(10), LeaseState.Running, "host-a", ""),
        new(M(102), LeaseState.Pending, null, "host host-a went offline; moving to another host"),
        new(M(103), LeaseState.Starting, "host-b", "placed"),
        new(M(105), LeaseState.Running, "host-b", ""),
    ];

    private static HostEvidence HostA => new(
        [new(M(0), HostState.Ready, "heard"), new(M(100), HostState.Suspect, "no heartbeat for 30 s"), new(M(101), HostState.Offline, "no heartbeat for 60 s")], [], []);

    private static HostEvidence Evidence(string host) => host == "host-a" ? HostA : HostEvidence.None;

    [Fact]
    public void Measure_HostLostAndLeaseMoved_DownFromTheLossUntilItRunsAgain()
    {
        var service = LeaseDowntime.Measure(Tier(TimeSpan.FromMinutes(15)), false, Moved, Evidence, From, To);

        Assert.Equal(M(10), service.OwedFrom);
        Assert.Equal(To, service.OwedTo);
        Assert.All(service.Windows, w => Assert.Equal(DowntimeCause.HostLost, w.Window.Cause));
        Assert.Equal(M(100), service.Windows[0].Window.Start);
        Assert.Equal("host-a", service.Windows[0].HostId);
        Assert.Equal(M(105), service.Windows[^1].Window.End);
        Assert.All(service.Windows, w => Assert.Equal("host-a", w.HostId)); // the wait and the new start are host-a's doing
        Assert.Equal(5 * 60, service.DowntimeSeconds, 6);
        Assert.False(service.ReplacementBroken);
    }

    [Fact]
    public void Measure_ReplacementSlowerThanTheTier_PromiseBroken() =>
        Assert.True(LeaseDowntime.Measure(Tier(TimeSpan.FromMinutes(2)), false, Moved, Evidence, From, To).ReplacementBroken);

    [Fact]
    public void Measure_NeverRan_NothingOwed()
    {
        var service = LeaseDowntime.Measure(Tier(TimeSpan.FromMinutes(2)), false, [new(M(0), LeaseState.Pending, null, "queued")], Evidence, From, To);

        Assert.Equal(0, service.ObligatedSeconds);
        Assert.Equal(1.0, service.Availability);
    }

    [Fact]
    public void Measure_OutageInsideDeclaredMaintenance_NotAgainstTheCustomer()
    {
        var host = new HostEvidence(
            [new(M(0), HostState.Ready, "heard"), new(M(200), HostState.Offline, "no heartbeat"), new(M(230), HostState.Ready, "heard")], [],
            [new MaintenanceSpan(M(190), M(240), "driver upgrade")]);
        List<LeaseStep> steps = [new(M(10), LeaseState.Running, "host-a", "")];

        var service = LeaseDowntime.Measure(Tier(TimeSpan.FromMinutes(2)), false, steps, _ => host, From, To);

        Assert.Equal(DowntimeCause.Maintenance, Assert.Single(service.Windows).Window.Cause);
        Assert.Equal(0, service.DowntimeSeconds);
        Assert.Equal(1.0, service.Availability);
    }

    [Fact]
    public void Measure_SessionWithSlowRoundTrips_DegradedUntilTheNextServiceCheck()
    {
        var host = new HostEvidence([new(M(0), HostState.Ready, "heard")],
            [new CheckFact("chk_1", CheckKind.Service, M(20), M(20.2), true, null, 120), new CheckFact("chk_2", CheckKind.Service, M(21), M(21.2), true, null, null)], []);
        List<LeaseStep> steps = [new(M(10), LeaseState.Running, "host-a", "")];

        var session = LeaseDowntime.Measure(Tier(TimeSpan.FromMinutes(2)), true, steps, _ => host, From, To);
        var job = LeaseDowntime.Measure(Tier(TimeSpan.FromMinutes(2)), false, steps, _ => host, From, To);

        var window = Assert.Single(session.Windows).Window;
        Assert.Equal((DowntimeCause.Degraded, M(20), M(21)), (window.Cause, window.Start, window.End));
        Assert.Contains("120 ms", window.Detail, StringComparison.Ordinal);
        Assert.Empty(job.Windows);
    }

    [Fact]
    public void Measure_CapacityBelowTheTiersShare_DegradedUntilTheNextCapacityCheck()
    {
        var host = new HostEvidence([new(M(0), HostState.Ready, "heard")],
            [new CheckFact("chk_1", CheckKind.Capacity, M(20), M(21), true, 0.8, null), new CheckFact("chk_2", CheckKind.Capacity, M(80), M(81), true, 0.97, null)], []);

        var service = LeaseDowntime.Measure(Tier(TimeSpan.FromMinutes(2)), false, [new(M(10), LeaseState.Running, "host-a", "")], _ => host, From, To);

        var window = Assert.Single(service.Windows).Window;
        Assert.Equal((DowntimeCause.Degraded, M(21), M(81)), (window.Cause, window.Start, window.End));
    }

    [Fact]
    public void Measure_FailedLivenessCheck_DownUntilTheNextPassedOne()
    {
        var host = new HostEvidence([new(M(0), HostState.Ready, "heard")],
            [new CheckFact("chk_1", CheckKind.Liveness, M(30), M(30.5), false, null, null), new CheckFact("chk_2", CheckKind.Liveness, M(31), M(31.5), false, null, null),
             new CheckFact("chk_3", CheckKind.Liveness, M(32), M(32.5), true, null, null)], []);

        var service = LeaseDowntime.Measure(Tier(TimeSpan.FromMinutes(2)), false, [new(M(10), LeaseState.Running, "host-a", "")], _ => host, From, To);

        Assert.Equal(120, service.DowntimeSeconds, 6);
        Assert.All(service.Windows, w => Assert.Equal(DowntimeCause.FailedCheck, w.Window.Cause));
    }

    [Fact]
    public void Measure_EndedLease_OwedUntilItsEnd()
    {
        List<LeaseStep> steps = [new(M(10), LeaseState.Running, "host-a", ""), new(M(70), LeaseState.Succeeded, "host-a", "exit 0")];

        var service = LeaseDowntime.Measure(Tier(TimeSpan.FromMinutes(2)), false, steps, _ => HostEvidence.None, From, To);

        Assert.Equal(3600, service.ObligatedSeconds, 6);
    }
}
