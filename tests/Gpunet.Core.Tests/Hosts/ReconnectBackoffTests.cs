using Gpunet.Core.Hosts;

namespace Gpunet.Core.Tests.Hosts;

public sealed class ReconnectBackoffTests
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public void Delay_RepeatedFailures_DoublesFromTheFirstUpToTheMax()
    {
        // The lowest jitter: half of each capped delay.
        var delays = Enumerable.Range(0, 8).Select(a => ReconnectBackoff.Delay(a, First, Max, null, 0).TotalMilliseconds);

        Assert.Equal([125, 250, 500, 1_000, 2_000, 4_000, 7_500, 7_500], delays);
    }

    [Fact]
    public void Delay_Jitter_BetweenHalfAndAllOfTheCappedDelay()
    {
        // The third retry: 250 ms doubled twice.
        Assert.Equal(TimeSpan.FromMilliseconds(500), ReconnectBackoff.Delay(2, First, Max, null, 0));
        Assert.Equal(TimeSpan.FromMilliseconds(750), ReconnectBackoff.Delay(2, First, Max, null, 0.5));
        Assert.True(ReconnectBackoff.Delay(2, First, Max, null, 0.999) < TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Delay_HeartbeatIntervalKnown_NeverLongerThanOneInterval()
    {
        foreach (var attempt in Enumerable.Range(0, 100))
        {
            foreach (var random in new[] { 0, 0.5, 0.999 })
                Assert.InRange(ReconnectBackoff.Delay(attempt, First, Max, Second, random), TimeSpan.Zero, Second);
        }
    }

    [Fact]
    public void Delay_HeartbeatIntervalLongerThanTheMax_TheMaxStillCaps()
    {
        Assert.Equal(TimeSpan.FromSeconds(7.5), ReconnectBackoff.Delay(20, First, Max, TimeSpan.FromMinutes(1), 0));
    }

    [Fact]
    public void Delay_EndlessFailures_StaysAtTheCap()
    {
        Assert.Equal(TimeSpan.FromSeconds(7.5), ReconnectBackoff.Delay(int.MaxValue, First, Max, null, 0));
        Assert.Equal(TimeSpan.Zero, ReconnectBackoff.Delay(int.MaxValue, TimeSpan.Zero, Max, null, 0.5));
    }

    [Fact]
    public void Delay_RandomOutsideZeroToOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ReconnectBackoff.Delay(0, First, Max, null, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReconnectBackoff.Delay(0, First, Max, null, double.NaN));
    }

    /// <summary>A coordinator with a 1 s heartbeat (Suspect after 3 silent intervals) is down for 1 to 90 s; its host's
    /// agent retries by this rule and the restarted coordinator's health policy runs every second: the host is never
    /// Suspect. Without the interval cap (the agent's backoff growing to 15 s) it is after the longer outages.</summary>
    [Fact]
    public void Delay_CappedAtTheInterval_NoSuspectAfterACoordinatorRestart()
    {
        var outages = Enumerable.Range(1, 90).Select(s => TimeSpan.FromSeconds(s)).ToList();

        Assert.DoesNotContain(outages, o => SuspectAfterRestart(o, Second));
        Assert.Contains(outages, o => SuspectAfterRestart(o, null));
    }

    /// <summary>Whether the host is Suspect within the grace period after a restart that followed an outage of
    /// <paramref name="outage"/>, the agent retrying from the moment the stream broke.</summary>
    private static bool SuspectAfterRestart(TimeSpan outage, TimeSpan? heartbeatInterval)
    {
        var options = new HostHealthOptions
        {
            HeartbeatInterval = Second, SuspectAfterMissedHeartbeats = 3, OfflineGracePeriod = TimeSpan.FromSeconds(10),
        };
        var down = Fleet.T0;
        var up = down + outage;
        // The first attempt fails at once; each later one waits by the rule (a fixed, spread sequence for the jitter).
        var reconnect = down;
        for (var attempt = 0; reconnect < up; attempt++)
            reconnect += ReconnectBackoff.Delay(attempt, First, Max, heartbeatInterval, (attempt * 0.618) % 1);

        var policy = new HostHealthPolicy(options);
        var host = new HostHealthSample("host-1", HostState.Ready, down.AddDays(-1), "DE", down);
        for (var now = up + Second; now <= up + options.OfflineGracePeriod; now += Second)
        {
            // Registered at its reconnection, the agent heartbeats every interval from then on.
            if (now >= reconnect)
                host = host with { LastHeardAt = reconnect + (Second * Math.Floor((now - reconnect) / Second)) };
            var evaluation = policy.Evaluate([host], now, up);
            if (evaluation.Transitions.Any(t => t.To == HostState.Suspect))
                return true;
        }

        return false;
    }
}
