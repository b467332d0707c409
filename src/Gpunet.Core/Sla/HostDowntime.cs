using Gpunet.Core.Hosts;
using Gpunet.Core.Verification;

namespace Gpunet.Core.Sla;

/// <summary>A host's downtime from its evidence: state changes (heartbeats), the checkers' decided checks, declared
/// maintenance. Pure.</summary>
public static class HostDowntime
{
    /// <summary>The signals of <paramref name="evidence"/>, each cause as its evidence shows it:
    /// <list type="bullet">
    /// <item>Suspect or Offline (not heard) → <see cref="DowntimeCause.HostLost"/> until its next change;</item>
    /// <item>Paused, or Pending after having been Ready (held at its return) → <see cref="DowntimeCause.PausedByPolicy"/>;</item>
    /// <item>a failed liveness or service check → <see cref="DowntimeCause.FailedCheck"/> from its issue to the next
    /// passed check of the kind; a failed capacity check from its decision to the next passed capacity check;</item>
    /// <item>with a <paramref name="tier"/>: a passed capacity check measuring below the tier's share of the claimed
    /// speed → <see cref="DowntimeCause.Degraded"/> to the next capacity check; when <paramref name="session"/>, a service
    /// check whose median round trip is above the tier's bound → degraded to the next service check;</item>
    /// <item>declared maintenance → <see cref="DowntimeCause.Maintenance"/>.</item>
    /// </list></summary>
    public static List<DowntimeSignal> Signals(HostEvidence evidence, SlaTier? tier, bool session)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var signals = new List<DowntimeSignal>();
        var everReady = false;
        for (var i = 0; i < evidence.Steps.Count; i++)
        {
            var step = evidence.Steps[i];
            DateTimeOffset? until = i + 1 < evidence.Steps.Count ? evidence.Steps[i + 1].At : null;
            switch (step.To)
            {
                case HostState.Ready:
                    everReady = true;
                    break;
                case HostState.Suspect or HostState.Offline:
                    signals.Add(new DowntimeSignal(step.At, until, DowntimeCause.HostLost, $"host {step.To.ToString().ToLowerInvariant()}: {step.Reason}"));
                    break;
                case HostState.Paused:
                case HostState.Pending when everReady:
                    signals.Add(new DowntimeSignal(step.At, until, DowntimeCause.PausedByPolicy, $"host held: {step.Reason}"));
                    break;
            }
        }

        foreach (var kind in CheckKind.All)
        {
            var checks = evidence.Checks.Where(c => c.Kind == kind).ToList();
            var timed = kind == CheckKind.Capacity;
            for (var i = 0; i < checks.Count; i++)
            {
                var c = checks[i];
                var start = timed ? c.DecidedAt : c.IssuedAt;
                if (!c.Passed)
                {
                    var next = checks.Skip(i + 1).FirstOrDefault(n => n.Passed);
                    signals.Add(new DowntimeSignal(start, next is null ? null : timed ? next.DecidedAt : next.IssuedAt, DowntimeCause.FailedCheck,
                        $"{kind} check {c.Id} failed by majority"));
                    continue;
                }

                if (tier is null)
                    continue;
                DateTimeOffset? until = i + 1 < checks.Count ? (timed ? checks[i + 1].DecidedAt : checks[i + 1].IssuedAt) : null;
                if (timed && c.SpeedShare is { } share && share < tier.DegradedShare)
                    signals.Add(new DowntimeSignal(start, until, DowntimeCause.Degraded,
                        $"capacity check {c.Id}: GPU at {share:P0} of the claimed speed, below {tier.DegradedShare:P0}"));
                else if (session && kind == CheckKind.Service && c.RoundTripMs is { } rtt && rtt > tier.SessionLatencyMs)
                    signals.Add(new DowntimeSignal(start, until, DowntimeCause.Degraded,
                        $"service check {c.Id}: round trip {rtt:0.#} ms, above {tier.SessionLatencyMs:0.#} ms"));
            }
        }

        foreach (var m in evidence.Maintenance)
            signals.Add(new DowntimeSignal(m.From, m.To, DowntimeCause.Maintenance, m.Reason.Length == 0 ? "declared maintenance" : $"declared maintenance: {m.Reason}"));
        return signals;
    }
}
