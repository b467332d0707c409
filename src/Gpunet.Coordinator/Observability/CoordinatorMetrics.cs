using Gpunet.Coordinator.Agents;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Marketplace;
using Gpunet.Coordinator.Metering;
using Gpunet.Core.Hosts;
using Prometheus;

namespace Gpunet.Coordinator.Observability;

/// <summary>Prometheus metrics of one coordinator, in a registry of its own (several can run in one process).</summary>
/// <remarks>Gauges are computed when <c>/metrics</c> is scraped, so the heartbeat path only bumps one counter.</remarks>
internal sealed class CoordinatorMetrics
{
    public CoordinatorMetrics(HostRegistry registry, HeartbeatCounter heartbeats, HostMonitor monitor, Market market, UsageIntake usage)
    {
        Registry = Metrics.NewCustomRegistry();
        Factory = Metrics.WithCustomRegistry(Registry);
        var hosts = Factory.CreateGauge("gpunet_hosts", "Registered hosts by lifecycle state.", ["state"]);
        var gpus = Factory.CreateGauge("gpunet_gpus", "GPUs of registered hosts by model and host state.", ["model", "state"]);
        var connected = Factory.CreateGauge("gpunet_agents_connected", "Agents with an open stream.");
        var beats = Factory.CreateCounter("gpunet_heartbeats_total", "Heartbeats received; rate() gives the heartbeat rate.");
        var rate = Factory.CreateGauge("gpunet_heartbeats_per_second", "Heartbeats received per second over the last host-monitor interval.");
        var held = Factory.CreateGauge("gpunet_offline_transitions_held", "1 while a mass silence holds Offline transitions.");
        var queued = Factory.CreateGauge("gpunet_leases_queued", "Leases waiting in this coordinator's queue for capacity.");
        var placed = Factory.CreateGauge("gpunet_leases_placed", "Leases holding GPUs (starting or running) known to this coordinator.");
        var free = Factory.CreateGauge("gpunet_gpus_free", "Wholly free GPUs on the hosts the matcher indexes.");
        var ticks = Factory.CreateCounter("gpunet_market_ticks_total", "Market loop ticks run to the end; flat while placement is stalled.");
        var work = Factory.CreateCounter("gpunet_market_work_total", "Pieces of work the market's loop ran, by kind (submit, reports, tick, cancel, query).", ["work"]);
        var busy = Factory.CreateCounter("gpunet_market_busy_seconds_total",
            "Seconds the market's one loop was busy, by kind of work; rate() near 1 means orders wait for the loop.", ["work"]);
        var ended = Factory.CreateCounter("gpunet_leases_ended_total", "Leases ended by this coordinator, by end reason.", ["reason"]);
        market.Ended += (_, reason) => ended.WithLabels(reason).Inc();
        var reports = Factory.CreateCounter("gpunet_usage_reports_total",
            "Usage reports from agents by outcome: accepted, replayed (a resend answered as before), or the refusal's code.", ["outcome"]);
        usage.Reported += outcome => reports.WithLabels(outcome).Inc();

        Registry.AddBeforeCollectCallback(() =>
        {
            var byState = Enum.GetValues<HostState>().ToDictionary(s => s, _ => 0);
            var byModel = new Dictionary<(string, HostState), int>();
            var open = 0;
            foreach (var e in registry.Entries)
            {
                var state = e.State;
                byState[state]++;
                if (e.Connected)
                    open++;
                foreach (var g in e.Record.Gpus)
                    byModel[(g.Model, state)] = byModel.GetValueOrDefault((g.Model, state)) + 1;
            }

            foreach (var (s, n) in byState)
                hosts.WithLabels(s.ToString()).Set(n);
            foreach (var ((model, s), n) in byModel)
                gpus.WithLabels(model, s.ToString()).Set(n);
            connected.Set(open);
            beats.IncTo(heartbeats.Count);
            rate.Set(monitor.HeartbeatsPerSecond);
            held.Set(monitor.Last?.OfflineTransitionsHeld == true ? 1 : 0);
            var (q, p) = market.Counts;
            queued.Set(q);
            placed.Set(p);
            free.Set(market.FreeGpus.Values.Sum());
            ticks.IncTo(market.Ticks);
            foreach (var (kind, (count, seconds)) in market.Load.Snapshot())
            {
                work.WithLabels(kind).IncTo(count);
                busy.WithLabels(kind).IncTo(seconds);
            }
        });
    }

    public CollectorRegistry Registry { get; }

    public IMetricFactory Factory { get; }
}
