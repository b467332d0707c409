using Gpunet.Core.Hosts;
using Gpunet.Core.Marketplace;
using Gpunet.Core.Verification;

namespace Gpunet.Core.Tests.Verification;

public sealed class HostTrackRecordRulesTests
{
    private static readonly DateTimeOffset From = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = From.AddDays(30);

    [Theory]
    [InlineData(LeaseEndReason.Completed, LeaseEndCount.Completed)]
    [InlineData(LeaseEndReason.ExitNonzero, LeaseEndCount.Completed)]
    [InlineData(LeaseEndReason.Cancelled, LeaseEndCount.Completed)]
    [InlineData(LeaseEndReason.TermEnded, LeaseEndCount.Completed)]
    [InlineData(LeaseEndReason.HostLost, LeaseEndCount.Interrupted)]
    [InlineData(LeaseEndReason.WorkloadLost, LeaseEndCount.Interrupted)]
    [InlineData(LeaseEndReason.StartTimeout, LeaseEndCount.Interrupted)]
    [InlineData(LeaseEndReason.QueueTimeout, LeaseEndCount.NotCounted)]
    [InlineData(LeaseEndReason.Compliance, LeaseEndCount.NotCounted)]
    public void Count_EndReason_CreditOrFaultOfTheHost(LeaseEndReason reason, LeaseEndCount expected)
    {
        Assert.Equal(expected, HostTrackRecordRules.Count(reason));
        // As stored: spelled the way the API shows it.
        Assert.Equal(expected, HostTrackRecordRules.Count(LeaseLifecycle.Spell(reason)));
    }

    [Fact]
    public void Count_UnknownSpelling_NotCounted() => Assert.Equal(LeaseEndCount.NotCounted, HostTrackRecordRules.Count("gone-fishing"));

    [Fact]
    public void OfflineMinutes_OfflineTenMinutesThenBack_Ten()
    {
        var down = From.AddDays(3);
        HostStateChange[] changes =
        [
            new(down.AddMinutes(10), HostState.Offline, HostState.Ready),
            new(down, HostState.Suspect, HostState.Offline),
            new(down.AddMinutes(-1), HostState.Ready, HostState.Suspect),
        ];

        Assert.Equal(10, HostTrackRecordRules.OfflineMinutes(changes, HostState.Ready, From, To), 6);
    }

    [Fact]
    public void OfflineMinutes_OfflineSinceBeforeTheWindow_CountsFromTheWindowsStart()
    {
        HostStateChange[] changes = [new(From.AddHours(2), HostState.Offline, HostState.Ready)];

        Assert.Equal(120, HostTrackRecordRules.OfflineMinutes(changes, HostState.Ready, From, To), 6);
    }

    [Fact]
    public void OfflineMinutes_OfflineAllWindowWithNoChange_TheWholeWindow() =>
        Assert.Equal((To - From).TotalMinutes, HostTrackRecordRules.OfflineMinutes([], HostState.Offline, From, To), 6);

    [Fact]
    public void OfflineMinutes_StillOfflineNow_CountsToTheEnd()
    {
        HostStateChange[] changes = [new(To.AddMinutes(-5), HostState.Suspect, HostState.Offline)];

        Assert.Equal(5, HostTrackRecordRules.OfflineMinutes(changes, HostState.Offline, From, To), 6);
    }

    [Fact]
    public void OfflineMinutes_RegisteredInTheWindow_NothingBeforeRegistration()
    {
        HostStateChange[] changes = [new(To.AddHours(-1), null, HostState.Pending), new(To.AddMinutes(-59), HostState.Pending, HostState.Ready)];

        Assert.Equal(0, HostTrackRecordRules.OfflineMinutes(changes, HostState.Ready, From, To));
    }
}
