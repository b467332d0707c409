using Gpunet.Coordinator;
using Gpunet.Coordinator.Ledger;
using Gpunet.Coordinator.Marketplace;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gpunet.IntegrationTests.Support;

/// <summary>The settings and wiring of a coordinator on a <see cref="SteppedClock"/>: every loop ticks once a step.</summary>
internal static class ServiceTier
{
    /// <summary>Timings in whole steps: heartbeats, host monitor, market, the leader's renewal and the read of other
    /// coordinators' host changes once a step, the scan of other coordinators' capacity changes every 2; a host is Suspect after 3
    /// silent steps and Offline after 10. Work no rule test waits for is rarer (each round costs store calls): the
    /// compliance sweep and the matcher's read of maintenance windows every 30 steps (compliance tests set their own),
    /// hosts' track records read every 60 steps
    /// (reputation tests set their own), alert webhooks sent every 60 steps, last-heard times stored once a minute.</summary>
    public static void Configure(CoordinatorOptions o)
    {
        o.Hosts.HeartbeatInterval = SteppedClock.Step;
        o.Hosts.MonitorInterval = SteppedClock.Step;
        o.Market.MarketInterval = SteppedClock.Step;
        o.Hosts.RegistryPollInterval = SteppedClock.Step;
        o.Market.ForeignChangeScanInterval = 2 * SteppedClock.Step;
        o.Verification.SchedulerInterval = SteppedClock.Step;
        o.Compliance.ComplianceSweepInterval = 30 * SteppedClock.Step;
        o.Market.TrackRecordInterval = 60 * SteppedClock.Step;
        o.Sla.MaintenanceRefreshInterval = 30 * SteppedClock.Step;
        o.Console.AlertWebhookInterval = 60 * SteppedClock.Step;
        o.Hosts.PersistHeardEvery = TimeSpan.FromMinutes(1);
        o.Hosts.SuspectAfterMissedHeartbeats = 3;
        o.Hosts.OfflineGracePeriod = 10 * SteppedClock.Step;
        o.Metering.UsageLateness = 3 * SteppedClock.Step;
        // The leader renews at every step; a follower takes a lease that stood still for 3.
        o.Leadership.LeaderLease = 3 * SteppedClock.Step;
        o.Leadership.LeaderRenewInterval = SteppedClock.Step;
        // Tests move time by hours (lease terms, epochs): sign-ins must outlive them.
        o.Access.TokenLifetime = TimeSpan.FromDays(30);
    }

    /// <summary>Counts the coordinator's loops on the clock, drains its market after every step, and waits until every
    /// loop is at its first tick.</summary>
    public static async Task AttachAsync(TestCoordinator c, SteppedClock clock)
    {
        // The leader election, the host monitor, the host change feed, the market's ticker, the hosts' track records, the compliance sweep, the
        // check scheduler, the maintenance windows' refresh and the alert webhooks' sender; and epoch settlement where it is on.
        var loops = c.App.Services.GetRequiredService<IOptions<LedgerOptions>>().Value.SettleEpochs ? 10 : 9;
        var market = c.App.Services.GetRequiredService<Market>();
        clock.AddLoops(loops);
        // The market's ticker posts its round to the market's queue and waits again at once: a no-op queued behind it
        // returns when the round is done.
        var drain = clock.AfterStep(() => market.RunAsync(_ => Task.FromResult(true)));
        c.DetachOnDispose(new Detach(clock, loops, drain));
        await clock.IdleAsync();
    }

    private sealed class Detach(SteppedClock clock, int loops, IDisposable drain) : IDisposable
    {
        public void Dispose()
        {
            drain.Dispose();
            clock.AddLoops(-loops);
        }
    }
}
