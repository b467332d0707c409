using Gpunet.Core.Hosts;
using Gpunet.Core.Sla;

namespace Gpunet.Core.Tests.Sla;

public sealed class MaintenanceRulesTests
{
    internal static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    internal static readonly MaintenancePolicy Policy = new(TimeSpan.FromHours(24), TimeSpan.FromHours(12), TimeSpan.FromDays(90), 3);

    private static IReadOnlyList<MaintenanceFieldError> Declare(
        DateTimeOffset? from, DateTimeOffset? to, string? reason = null, HostState state = HostState.Ready, params MaintenanceWindow[] standing) =>
        MaintenanceRules.Problems(from, to, reason, Now, Policy, state, Now.AddHours(-3), standing);

    [Fact]
    public void Problems_WellAheadAndShortEnough_None()
    {
        Assert.Empty(Declare(Now.AddHours(25), Now.AddHours(29), "kernel upgrade"));
        // Exactly the notice, exactly the longest length.
        Assert.Empty(Declare(Now.AddHours(24), Now.AddHours(36)));
    }

    [Fact]
    public void Problems_NoFromNorTo_NamesBoth()
    {
        var errors = Declare(null, null);
        Assert.Equal(["from", "to"], errors.Select(e => e.Field));
        Assert.Contains("required", errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Problems_FromInThePast_NamesFrom()
    {
        var error = Assert.Single(Declare(Now.AddHours(-1), Now.AddHours(2)));
        Assert.Equal("from", error.Field);
        Assert.Equal("2026-12-05 11:00Z is in the past", error.Message);
    }

    [Fact]
    public void Problems_ShortNotice_SaysTheEarliest()
    {
        var error = Assert.Single(Declare(Now.AddHours(23), Now.AddHours(25)));
        Assert.Equal("from", error.Field);
        Assert.Contains("notice", error.Message, StringComparison.Ordinal);
        Assert.Contains("the earliest is 2026-12-06 12:00Z", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Problems_PastTheHorizon_NamesFrom()
    {
        var error = Assert.Single(Declare(Now.AddDays(91), Now.AddDays(91).AddHours(1)));
        Assert.Equal("from", error.Field);
        Assert.Contains("ahead", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Problems_ToNotAfterFrom_NamesTo(int hours)
    {
        var error = Assert.Single(Declare(Now.AddHours(30), Now.AddHours(30 + hours)));
        Assert.Equal("to", error.Field);
        Assert.Contains("not after from", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Problems_LongerThanTheLongest_NamesTo()
    {
        var error = Assert.Single(Declare(Now.AddHours(30), Now.AddHours(42).AddMinutes(1)));
        Assert.Equal("to", error.Field);
        Assert.Equal("a window is at most 12 h; this one is 12 h 1 min", error.Message);
    }

    [Fact]
    public void Problems_ReasonTooLong_NamesReason()
    {
        var error = Assert.Single(Declare(Now.AddHours(30), Now.AddHours(31), new string('x', 501)));
        Assert.Equal("reason", error.Field);
    }

    [Theory]
    [InlineData(HostState.Suspect)]
    [InlineData(HostState.Offline)]
    [InlineData(HostState.Paused)]
    public void Problems_OutageUnderWay_RefusedNamingTheStateAndSince(HostState state)
    {
        var error = Assert.Single(Declare(Now.AddHours(30), Now.AddHours(31), state: state));
        Assert.Equal("from", error.Field);
        Assert.Equal($"the host is {state} since 2026-12-05 09:00Z: a host cannot declare its way out of an outage already under way", error.Message);
    }

    [Fact]
    public void Problems_PendingHost_MayDeclare() =>
        Assert.Empty(Declare(Now.AddHours(30), Now.AddHours(31), state: HostState.Pending));

    [Fact]
    public void Problems_OverlapsAStandingWindow_NamesIt()
    {
        var other = new MaintenanceWindow(7, Now.AddHours(30), Now.AddHours(34));
        var error = Assert.Single(Declare(Now.AddHours(33), Now.AddHours(36), standing: other));
        Assert.Equal("from", error.Field);
        Assert.Equal("overlaps the host's window 7 (2026-12-06 18:00Z to 2026-12-06 22:00Z)", error.Message);
    }

    [Fact]
    public void Problems_EndsWhereAnotherBegins_None()
    {
        var other = new MaintenanceWindow(7, Now.AddHours(30), Now.AddHours(34));
        Assert.Empty(Declare(Now.AddHours(26), Now.AddHours(30), standing: other));
        Assert.Empty(Declare(Now.AddHours(34), Now.AddHours(36), standing: other));
    }

    [Fact]
    public void Problems_AsManyStandingAsAllowed_RefusesOneMore()
    {
        MaintenanceWindow[] three = [.. Enumerable.Range(0, 3).Select(i => new MaintenanceWindow(i, Now.AddDays(2 + i), Now.AddDays(2 + i).AddHours(1)))];
        var error = Assert.Single(Declare(Now.AddDays(10), Now.AddDays(10).AddHours(1), standing: three));
        Assert.Contains("at most 3", error.Message, StringComparison.Ordinal);
    }

    private static readonly MaintenanceWindow[] Tomorrow = [new(1, Now.AddHours(26), Now.AddHours(30))];

    [Fact]
    public void Blocking_ALeaseEndingBeforeTheWindow_IsNotBlocked() =>
        Assert.Null(MaintenanceRules.Blocking(Tomorrow, Now, TimeSpan.FromHours(26), TimeSpan.FromHours(24)));

    [Fact]
    public void Blocking_ALeaseRunningIntoTheWindow_IsBlockedByIt() =>
        Assert.Equal(1, MaintenanceRules.Blocking(Tomorrow, Now, TimeSpan.FromHours(26.5), TimeSpan.FromHours(24))?.Id);

    [Fact]
    public void Blocking_AnOpenEndedLease_LooksAheadOnlyAsFarAsTheLookahead()
    {
        Assert.Null(MaintenanceRules.Blocking(Tomorrow, Now, null, TimeSpan.FromHours(24)));
        Assert.NotNull(MaintenanceRules.Blocking(Tomorrow, Now, null, TimeSpan.FromHours(27)));
    }

    [Fact]
    public void Blocking_AWindowUnderWay_BlocksEveryLease_AndOneOver_None()
    {
        Assert.NotNull(MaintenanceRules.Blocking(Tomorrow, Now.AddHours(27), TimeSpan.FromMinutes(1), TimeSpan.Zero));
        Assert.NotNull(MaintenanceRules.Blocking(Tomorrow, Now.AddHours(26), null, TimeSpan.Zero));
        Assert.Null(MaintenanceRules.Blocking(Tomorrow, Now.AddHours(30), null, TimeSpan.FromHours(24)));
    }

    [Fact]
    public void Refusal_NamesTheWindowsTimes() =>
        Assert.Equal("maintenance from 2026-12-06 14:00Z to 2026-12-06 18:00Z", MaintenanceRules.Refusal(Tomorrow[0]));
}
