using Gpunet.Core.Hosts;

namespace Gpunet.Core.Tests.Hosts;

public sealed class HostHealthPolicyTests
{
    private static readonly DateTimeOffset T0 = Fleet.T0;

    // The monitor has been running for a day unless a test says otherwise.
    private static readonly DateTimeOffset LongAgo = T0.AddDays(-1);

    private static HostHealthPolicy Policy() => new(new HostHealthOptions());

    private static HostHealthSample Host(string id, HostState state, DateTimeOffset since, DateTimeOffset? heard, string zone = "DE") =>
        new(id, state, since, zone, heard);

    private static HostHealthEvaluation EvaluateOne(HostHealthSample host, DateTimeOffset now, DateTimeOffset? started = null)
    {
        // A second, healthy host in another zone keeps the single silent host from looking like mass silence.
        var healthy = Host("host-healthy", HostState.Ready, LongAgo, now, "FR");
        return Policy().Evaluate([host, healthy], now, started ?? LongAgo);
    }

    [Fact]
    public void Evaluate_PendingHostHeard_BecomesReady()
    {
        var e = EvaluateOne(Host("h1", HostState.Pending, T0, T0.AddSeconds(12)), T0.AddSeconds(15));

        var t = Assert.Single(e.Transitions);
        Assert.Equal(new HostTransition("h1", HostState.Pending, HostState.Ready, "first heartbeat received 12 s after registration", T0.AddSeconds(15)), t);
    }

    [Fact]
    public void Evaluate_ReadyHostSilent34Seconds_BecomesSuspectWithMissedIntervals()
    {
        var e = EvaluateOne(Host("h1", HostState.Ready, LongAgo, T0), T0.AddSeconds(34));

        var t = Assert.Single(e.Transitions);
        Assert.Equal((HostState.Ready, HostState.Suspect), (t.From, t.To));
        Assert.Equal("no heartbeat for 34 s (3 intervals of 10 s missed)", t.Reason);
    }

    [Fact]
    public void Evaluate_ReadyHostSilentJustUnderThreeIntervals_StaysReady()
    {
        var e = EvaluateOne(Host("h1", HostState.Ready, LongAgo, T0), T0.AddSeconds(29.9));

        Assert.Empty(e.Transitions);
    }

    [Fact]
    public void Evaluate_SuspectHostPastGracePeriod_GoesOffline()
    {
        var e = EvaluateOne(Host("h1", HostState.Suspect, T0.AddSeconds(30), T0), T0.AddSeconds(61));

        var t = Assert.Single(e.Transitions);
        Assert.Equal((HostState.Suspect, HostState.Offline), (t.From, t.To));
        Assert.Equal("no heartbeat for 61 s, past the 60 s grace period", t.Reason);
        Assert.Equal(0, e.OfflineDeferred);
    }

    [Fact]
    public void Evaluate_SuspectHostInsideGracePeriod_StaysSuspect()
    {
        var e = EvaluateOne(Host("h1", HostState.Suspect, T0.AddSeconds(30), T0), T0.AddSeconds(59));

        Assert.Empty(e.Transitions);
    }

    [Fact]
    public void Evaluate_ReadyHostPastGracePeriod_GoesStraightOffline()
    {
        var e = EvaluateOne(Host("h1", HostState.Ready, LongAgo, T0), T0.AddSeconds(90));

        var t = Assert.Single(e.Transitions);
        Assert.Equal((HostState.Ready, HostState.Offline), (t.From, t.To));
        Assert.Equal("no heartbeat for 90 s, past the 60 s grace period", t.Reason);
    }

    [Fact]
    public void Evaluate_PendingHostNeverHeard_StaysPendingThenGoesOfflineAfterGrace()
    {
        var host = Host("h1", HostState.Pending, T0, null);

        Assert.Empty(EvaluateOne(host, T0.AddSeconds(45)).Transitions);
        var t = Assert.Single(EvaluateOne(host, T0.AddSeconds(60)).Transitions);
        Assert.Equal((HostState.Pending, HostState.Offline), (t.From, t.To));
        Assert.Equal("no heartbeat for 60 s, past the 60 s grace period", t.Reason);
    }

    [Fact]
    public void Evaluate_OfflineHostHeardAgain_BecomesReadyNamingTheGap()
    {
        var e = EvaluateOne(Host("h1", HostState.Offline, T0, T0.AddSeconds(125)), T0.AddSeconds(126));

        var t = Assert.Single(e.Transitions);
        Assert.Equal((HostState.Offline, HostState.Ready), (t.From, t.To));
        Assert.Equal("heartbeats resumed after 2 min 5 s Offline", t.Reason);
    }

    [Fact]
    public void Evaluate_SuspectHostHeardAgain_BecomesReady()
    {
        var e = EvaluateOne(Host("h1", HostState.Suspect, T0, T0.AddSeconds(7)), T0.AddSeconds(8));

        var t = Assert.Single(e.Transitions);
        Assert.Equal((HostState.Suspect, HostState.Ready, "heartbeats resumed after 7 s Suspect"), (t.From, t.To, t.Reason));
    }

    [Fact]
    public void Evaluate_OfflineHostStillSilent_NoTransition()
    {
        var e = EvaluateOne(Host("h1", HostState.Offline, T0, T0.AddSeconds(-60)), T0.AddHours(5));

        Assert.Empty(e.Transitions);
    }

    [Fact]
    public void Evaluate_CoordinatorResumedAfterAStall_SilenceBeforeItIsNotTheHosts()
    {
        // Heard 10 s before the coordinator stood still for 20 s; 31 s after that heartbeat it has heard for 1 s only.
        var resumed = T0.AddSeconds(30);
        var host = Host("h1", HostState.Ready, LongAgo, T0.AddSeconds(10));
        var policy = Policy();
        var healthy = Host("host-healthy", HostState.Ready, LongAgo, resumed, "FR");

        Assert.Empty(policy.Evaluate([host, healthy], T0.AddSeconds(41), LongAgo, resumed).Transitions);
        Assert.Empty(policy.Evaluate([host, healthy with { LastHeardAt = resumed.AddSeconds(29) }], resumed.AddSeconds(29), LongAgo, resumed).Transitions);

        // Still silent a whole Suspect window after it resumed: the host's silence, judged as ever.
        var suspect = Assert.Single(policy.Evaluate([host, healthy with { LastHeardAt = resumed.AddSeconds(30) }], resumed.AddSeconds(30), LongAgo, resumed).Transitions);
        Assert.Equal((HostState.Suspect, "no heartbeat for 30 s since the coordinator resumed after a stall (3 intervals of 10 s missed)"), (suspect.To, suspect.Reason));
    }

    [Fact]
    public void Evaluate_CoordinatorRestarted_SilenceCountsFromStart()
    {
        var started = T0;
        var host = Host("h1", HostState.Ready, LongAgo, T0.AddMinutes(-10));

        Assert.Empty(EvaluateOne(host, started.AddSeconds(29), started).Transitions);

        var suspect = Assert.Single(EvaluateOne(host, started.AddSeconds(30), started).Transitions);
        Assert.Equal(HostState.Suspect, suspect.To);
        Assert.Equal("no heartbeat for 30 s since the coordinator started (3 intervals of 10 s missed)", suspect.Reason);

        var offline = Assert.Single(EvaluateOne(host with { State = HostState.Suspect, StateSince = started.AddSeconds(30) }, started.AddSeconds(60), started).Transitions);
        Assert.Equal(HostState.Offline, offline.To);
        Assert.Equal("no heartbeat for 60 s since the coordinator started, past the 60 s grace period", offline.Reason);
    }

    [Fact]
    public void Evaluate_EveryZoneSilent_HoldsOfflineTransitions()
    {
        var fleet = new Fleet();
        foreach (var zone in new[] { "DE", "FR", "US" })
            fleet.Add(zone, 4, zone, HostState.Suspect, T0.AddSeconds(30), T0);

        var e = Policy().Evaluate(fleet.Hosts, T0.AddSeconds(90), LongAgo);

        Assert.True(e.OfflineTransitionsHeld);
        Assert.Equal("mass silence: 12 of 12 hosts silent in every zone; assuming the coordinator's network failed, holding Offline transitions", e.HeldReason);
        Assert.Empty(e.Transitions);
        Assert.Equal(12, e.OfflineDeferred);
        Assert.All(e.Zones.Values, z => Assert.Equal(new ZoneHealth(4, 4, ZoneDisruption.FullDisruption, 0), z));
    }

    [Fact]
    public void Evaluate_EveryZoneSilent_ReadyHostsStillBecomeSuspect()
    {
        var fleet = new Fleet();
        fleet.Add("DE", 3, "DE", HostState.Ready, LongAgo, T0);

        var e = Policy().Evaluate(fleet.Hosts, T0.AddSeconds(90), LongAgo);

        Assert.True(e.OfflineTransitionsHeld);
        Assert.Equal(3, e.Transitions.Count);
        Assert.All(e.Transitions, t =>
        {
            Assert.Equal(HostState.Suspect, t.To);
            Assert.Equal("no heartbeat for 90 s (9 intervals of 10 s missed); Offline held: mass silence", t.Reason);
        });
    }

    [Fact]
    public void Evaluate_SingleSilentHost_IsNotMassSilence()
    {
        var e = Policy().Evaluate([Host("h1", HostState.Suspect, T0.AddSeconds(30), T0)], T0.AddSeconds(90), LongAgo);

        Assert.False(e.OfflineTransitionsHeld);
        Assert.Equal(HostState.Offline, Assert.Single(e.Transitions).To);
    }

    [Fact]
    public void Evaluate_MassSilenceEnds_ReconnectedHostsReadyAndTheRestGetAFreshGracePeriod()
    {
        var fleet = new Fleet();
        var de = fleet.Add("DE", 4, "DE", HostState.Suspect, T0.AddSeconds(30), T0);
        var fr = fleet.Add("FR", 4, "FR", HostState.Suspect, T0.AddSeconds(30), T0);
        var policy = Policy();
        Assert.True(policy.Evaluate(fleet.Hosts, T0.AddMinutes(5), LongAgo).OfflineTransitionsHeld);

        // The coordinator's network comes back: the DE hosts reconnect, the FR hosts have not yet.
        var back = T0.AddMinutes(6);
        fleet.Heard(de, back);
        var first = policy.Evaluate(fleet.Hosts, back, LongAgo);
        fleet.Apply(first);

        Assert.False(first.OfflineTransitionsHeld);
        Assert.Equal(4, first.Transitions.Count);
        Assert.All(first.Transitions, t => Assert.Equal((HostState.Suspect, HostState.Ready), (t.From, t.To)));
        Assert.Equal(ZoneDisruption.Normal, first.Zones["DE"].State);

        fleet.Heard(de, back.AddSeconds(59));
        Assert.Empty(policy.Evaluate(fleet.Hosts, back.AddSeconds(59), LongAgo).Transitions);

        fleet.Heard(de, back.AddSeconds(60));
        var later = policy.Evaluate(fleet.Hosts, back.AddSeconds(60), LongAgo);
        Assert.Equal(fr, later.Transitions.Select(t => t.HostId).Order(StringComparer.Ordinal));
        Assert.All(later.Transitions, t =>
        {
            Assert.Equal(HostState.Offline, t.To);
            Assert.Equal("no heartbeat for 60 s since the mass silence ended, past the 60 s grace period", t.Reason);
        });
    }

    [Fact]
    public void Evaluate_OneZoneWhollyDownOthersUp_FailsItOverAtNormalRate()
    {
        var fleet = new Fleet();
        fleet.Add("DE", 5, "DE", HostState.Suspect, T0.AddSeconds(30), T0);
        fleet.Add("FR", 5, "FR", HostState.Ready, LongAgo, T0.AddSeconds(85));

        var e = Policy().Evaluate(fleet.Hosts, T0.AddSeconds(90), LongAgo);

        Assert.False(e.OfflineTransitionsHeld);
        Assert.Equal(new ZoneHealth(5, 5, ZoneDisruption.FullDisruption, 1.0), e.Zones["DE"]);
        Assert.Equal(new ZoneHealth(5, 0, ZoneDisruption.Normal, 1.0), e.Zones["FR"]);
        Assert.Equal(5, e.Transitions.Count(t => t.To == HostState.Offline));
    }

    [Fact]
    public void Evaluate_ManySilentInHealthyZone_BurstThenOnePerSecondLongestSilentFirst()
    {
        var fleet = new Fleet();
        var ok = fleet.Add("ok", 80, "DE", HostState.Ready, LongAgo, T0);
        for (var i = 0; i < 20; i++)
            fleet.Add($"dead{i:00}", 1, "DE", HostState.Suspect, T0.AddSeconds(-100), T0.AddSeconds(-130 - i));
        var policy = Policy();

        var now = T0;
        var first = policy.Evaluate(fleet.Hosts, now, LongAgo);
        fleet.Apply(first);

        Assert.Equal(ZoneDisruption.Normal, first.Zones["DE"].State);
        Assert.Equal(Enumerable.Range(10, 10).Reverse().Select(i => $"dead{i:00}-00"), first.Transitions.Select(t => t.HostId));
        Assert.Equal(10, first.OfflineDeferred);

        fleet.Heard(ok, now.AddSeconds(5));
        var second = policy.Evaluate(fleet.Hosts, now.AddSeconds(5), LongAgo);
        fleet.Apply(second);
        Assert.Equal(5, second.Transitions.Count);
        Assert.Equal(5, second.OfflineDeferred);

        var third = policy.Evaluate(fleet.Hosts, now.AddSeconds(10), LongAgo);
        fleet.Apply(third);
        Assert.Equal(5, third.Transitions.Count);
        Assert.Equal(0, third.OfflineDeferred);
        Assert.Equal(20, fleet.Count(HostState.Offline));
    }

    [Fact]
    public void Evaluate_LargeZoneInPartialDisruption_GoesOfflineAtSecondaryRate()
    {
        var fleet = new Fleet();
        var ok = fleet.Add("ok", 20, "DE", HostState.Ready, LongAgo, T0);
        fleet.Add("dead", 40, "DE", HostState.Suspect, T0.AddSeconds(-60), T0.AddSeconds(-90));
        var policy = Policy();

        var offline = new List<int>();
        for (var s = 0; s <= 100; s++)
        {
            var now = T0.AddSeconds(s);
            fleet.Heard(ok, now);
            var e = policy.Evaluate(fleet.Hosts, now, LongAgo);
            fleet.Apply(e);
            Assert.Equal(new ZoneHealth(60, 40, ZoneDisruption.PartialDisruption, 0.1), e.Zones["DE"]);
            offline.Add(fleet.Count(HostState.Offline));
        }

        // One at once (the secondary rate's burst of one), then one every 10 s: 0.1 per second.
        Assert.Equal(1, offline[0]);
        Assert.Equal(1, offline[9]);
        Assert.Equal(2, offline[10]);
        Assert.Equal(6, offline[50]);
        Assert.Equal(11, offline[100]);
    }

    [Fact]
    public void Evaluate_SmallZoneInPartialDisruption_HoldsItsHostsButNotOtherZones()
    {
        var fleet = new Fleet();
        var ok = fleet.Add("ok", 4, "DE", HostState.Ready, LongAgo, T0);
        fleet.Add("dead", 6, "DE", HostState.Ready, LongAgo, T0.AddSeconds(-90));
        var fr = fleet.Add("fr", 5, "FR", HostState.Ready, LongAgo, T0);
        fleet.Add("frdead", 1, "FR", HostState.Suspect, T0.AddSeconds(-60), T0.AddSeconds(-90));
        var policy = Policy();

        var first = policy.Evaluate(fleet.Hosts, T0, LongAgo);
        fleet.Apply(first);

        Assert.False(first.OfflineTransitionsHeld);
        Assert.Equal(new ZoneHealth(10, 6, ZoneDisruption.PartialDisruption, 0), first.Zones["DE"]);
        Assert.Equal(new ZoneHealth(6, 1, ZoneDisruption.Normal, 1.0), first.Zones["FR"]);
        Assert.Equal(6, first.OfflineDeferred);
        Assert.Equal(
            "no heartbeat for 90 s (9 intervals of 10 s missed); Offline deferred by the rate limit of zone DE",
            first.Transitions.First(t => t.HostId == "dead-00").Reason);
        Assert.Equal(HostState.Offline, first.Transitions.Single(t => t.HostId == "frdead-00").To);
        Assert.Equal(6, fleet.Count(HostState.Suspect));

        for (var s = 1; s <= 600; s += 10)
        {
            fleet.Heard(ok.Concat(fr), T0.AddSeconds(s));
            var e = policy.Evaluate(fleet.Hosts, T0.AddSeconds(s), LongAgo);
            Assert.Empty(e.Transitions);
            Assert.Equal(6, e.OfflineDeferred);
        }
    }

    [Fact]
    public void Evaluate_SmallZoneRecovers_RemainingSilentHostsGoOffline()
    {
        var fleet = new Fleet();
        var ok = fleet.Add("ok", 4, "DE", HostState.Ready, LongAgo, T0);
        var dead = fleet.Add("dead", 6, "DE", HostState.Suspect, T0.AddSeconds(-60), T0.AddSeconds(-90));
        var policy = Policy();
        Assert.Equal(6, policy.Evaluate(fleet.Hosts, T0, LongAgo).OfflineDeferred);

        // Four of the six come back: two unhealthy of ten is a normal zone again.
        var now = T0.AddSeconds(20);
        fleet.Heard(ok.Concat(dead.Take(4)), now);
        var e = policy.Evaluate(fleet.Hosts, now, LongAgo);

        Assert.Equal(new ZoneHealth(10, 2, ZoneDisruption.Normal, 1.0), e.Zones["DE"]);
        Assert.Equal(4, e.Transitions.Count(t => t.To == HostState.Ready));
        Assert.Equal(dead.Skip(4), e.Transitions.Where(t => t.To == HostState.Offline).Select(t => t.HostId).Order(StringComparer.Ordinal));
        Assert.Equal(0, e.OfflineDeferred);
    }

    [Fact]
    public void Evaluate_RecoveryInHeldZone_IsNeverRateLimited()
    {
        var fleet = new Fleet();
        var dead = fleet.Add("dead", 12, "DE", HostState.Offline, T0, T0.AddSeconds(-90));
        fleet.Heard(dead, T0.AddSeconds(10));

        var e = Policy().Evaluate(fleet.Hosts, T0.AddSeconds(10), LongAgo);

        Assert.Equal(12, e.Transitions.Count(t => t.To == HostState.Ready));
    }

    [Fact]
    public void Evaluate_EqualSilence_OrdersByHostId()
    {
        var hosts = new[] { "c", "a", "b" }.Select(id => Host(id, HostState.Ready, LongAgo, T0)).ToList();
        hosts.Add(Host("up", HostState.Ready, LongAgo, T0.AddSeconds(35)));

        var e = Policy().Evaluate(hosts, T0.AddSeconds(35), LongAgo);

        Assert.Equal(["a", "b", "c"], e.Transitions.Select(t => t.HostId));
    }

    [Fact]
    public void Evaluate_TransitionsOfEveryKind_ComeOutLongestSilentFirst_AndTokensGoToTheLongestSilent()
    {
        // Hosts past the grace period (which take their zone's Offline tokens) among hosts that turn Suspect, hosts
        // heard again and healthy ones, in an order that is neither by silence nor by id.
        var hosts = new List<HostHealthSample>();
        for (var i = 0; i < 100; i++)
            hosts.Add(Host($"ok{i:000}", HostState.Ready, LongAgo, T0.AddSeconds(-1)));
        hosts.Add(Host("suspect-45", HostState.Ready, LongAgo, T0.AddSeconds(-45)));
        hosts.Add(Host("offline-200", HostState.Suspect, T0.AddSeconds(-150), T0.AddSeconds(-200)));
        hosts.Add(Host("back", HostState.Suspect, T0.AddSeconds(-50), T0.AddSeconds(-2)));
        for (var i = 0; i < 12; i++)
            hosts.Add(Host($"dead{(i * 7) % 12:00}", HostState.Suspect, T0.AddSeconds(-40), T0.AddSeconds(-70 - (i * 7) % 12 * 5)));
        hosts.Add(Host("suspect-31", HostState.Ready, LongAgo, T0.AddSeconds(-31)));

        var e = Policy().Evaluate(hosts, T0, LongAgo);

        // Ten tokens (the burst): the longest silent ten of the thirteen past the grace period go Offline.
        var offline = e.Transitions.Where(t => t.To == HostState.Offline).Select(t => t.HostId).ToList();
        Assert.Equal(["offline-200", "dead11", "dead10", "dead09", "dead08", "dead07", "dead06", "dead05", "dead04", "dead03"], offline);
        Assert.Equal(3, e.OfflineDeferred);
        Assert.Equal(["offline-200", "dead11", "dead10", "dead09", "dead08", "dead07", "dead06", "dead05", "dead04", "dead03", "suspect-45", "suspect-31", "back"],
            e.Transitions.Select(t => t.HostId));
    }

    [Fact]
    public void Evaluate_DuplicateHostId_Throws()
    {
        var h = Host("h1", HostState.Ready, LongAgo, T0);

        var ex = Assert.Throws<ArgumentException>(() => Policy().Evaluate([h, h], T0, LongAgo));
        Assert.Contains("host 'h1' appears more than once", ex.Message, StringComparison.Ordinal);
    }
}
