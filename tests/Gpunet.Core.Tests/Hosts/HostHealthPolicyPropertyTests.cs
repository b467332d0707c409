using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Hosts;

namespace Gpunet.Core.Tests.Hosts;

public sealed class HostHealthPolicyPropertyTests
{
    private static readonly DateTimeOffset T0 = Fleet.T0;
    private static readonly TimeSpan Interval = new HostHealthOptions().HeartbeatInterval;

    // One host: state, seconds since its state began, zone, and seconds since its last heartbeat (null: never).
    // Times range from the future to long past, so the restart grace, recoveries and rate limits all come up.
    private static readonly Gen<(HostState State, int SinceAgo, string Zone, int? HeardAgo)> HostGen =
        from state in Gen.Elements(HostState.Pending, HostState.Ready, HostState.Suspect, HostState.Offline)
        from sinceAgo in Gen.Choose(-20, 400)
        from zone in Gen.Elements("DE", "FR", "US")
        from heardAgo in Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(-20, 400).Select(s => (int?)s))
        select (state, sinceAgo, zone, heardAgo);

    private static readonly Gen<((HostState State, int SinceAgo, string Zone, int? HeardAgo)[] Hosts, int StartedAgo, int[] Steps)> ScenarioGen =
        from hosts in Gen.ArrayOf(HostGen)
        from startedAgo in Gen.Choose(0, 500)
        from steps in Gen.ArrayOf(Gen.Choose(0, 40))
        select (hosts, startedAgo, steps);

    [Property(MaxTest = 300)]
    public Property Evaluate_AnyFleetOverTime_NoSelfTransitionsAndRecentlyHeardHostsStayUp() =>
        Prop.ForAll(ScenarioGen.ToArbitrary(), scenario =>
        {
            var policy = new HostHealthPolicy(new HostHealthOptions());
            var hosts = scenario.Hosts
                .Select((h, i) => new HostHealthSample(
                    $"h{i:000}", h.State, T0.AddSeconds(-h.SinceAgo), h.Zone,
                    h.HeardAgo is { } ago ? T0.AddSeconds(-ago) : null))
                .ToList();
            var started = T0.AddSeconds(-scenario.StartedAgo);
            var now = T0;

            foreach (var step in scenario.Steps.Prepend(0))
            {
                now = now.AddSeconds(step);
                var e = policy.Evaluate(hosts, now, started);
                var byId = hosts.ToDictionary(h => h.HostId);

                foreach (var t in e.Transitions)
                {
                    var before = byId[t.HostId];
                    if (t.From == t.To || t.From != before.State || t.At != now)
                        return false;
                    var heardRecently = before.LastHeardAt is { } heard && now - heard < Interval;
                    if (heardRecently && t.To is HostState.Suspect or HostState.Offline)
                        return false;
                    if (e.OfflineTransitionsHeld && t.To == HostState.Offline)
                        return false;
                }

                if (e.Transitions.Select(t => t.HostId).Distinct().Count() != e.Transitions.Count)
                    return false;

                var moved = e.Transitions.ToDictionary(t => t.HostId);
                hosts = hosts
                    .Select(h => moved.TryGetValue(h.HostId, out var t) ? h with { State = t.To, StateSince = now } : h)
                    .ToList();
            }

            return true;
        });
}
