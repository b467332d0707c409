using Gpunet.Core.Marketplace;

namespace Gpunet.Core.Sla;

/// <summary>A lease's service in a period from its history and its hosts' evidence. Pure.</summary>
public static class LeaseDowntime
{
    /// <summary>What the lease was owed in [<paramref name="from"/>, <paramref name="to"/>) and its downtime windows.</summary>
    /// <remarks>Service is owed from the lease's first Running step to its end. While it runs or starts on a host, that
    /// host's signals (<see cref="HostDowntime.Signals"/>) count; while it waits for a new host after its first start,
    /// or starts again on one, it is down for <see cref="DowntimeCause.HostLost"/>. A wait for a new host — the whole
    /// unbroken downtime from the loss until it runs again — longer than the tier's
    /// <see cref="SlaTier.MaxReplacement"/> breaks the replacement promise; a shorter one is only downtime.</remarks>
    /// <param name="steps">The lease's history, earliest first.</param>
    /// <param name="hosts">Each host's evidence, by id.</param>
    /// <param name="session">A session or service lease: its round trips are held to the tier's bound.</param>
    /// <returns>The windows carry the host they are put on: the host's own windows its id, a wait for a new host (or the
    /// start on it) the host the lease last ran on, whose loss caused it.</returns>
    public static LeaseService Measure(
        SlaTier tier, bool session, IReadOnlyList<LeaseStep> steps, Func<string, HostEvidence> hosts, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(tier);
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(hosts);
        var firstRun = steps.FirstOrDefault(s => s.State == LeaseState.Running)?.At;
        var end = steps.FirstOrDefault(s => LeaseLifecycle.IsEnded(s.State))?.At;
        var owedFrom = firstRun is { } r && r > from ? r : from;
        var owedTo = end is { } e && e < to ? e : to;
        if (firstRun is null || firstRun >= to || owedTo <= owedFrom)
            return new LeaseService(owedFrom, owedFrom, [], false);

        // The stretches of the lease's life after its first start: on a host (starting or running) or waiting for one.
        var signals = new List<(DowntimeSignal Signal, string? Host)>();
        var evidence = new Dictionary<string, List<DowntimeSignal>>(StringComparer.Ordinal);
        string? lastRan = null;
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            if (LeaseLifecycle.IsEnded(step.State))
                break;
            var stretchEnd = i + 1 < steps.Count ? steps[i + 1].At : owedTo;
            var start = step.At < firstRun.Value ? firstRun.Value : step.At;
            if (stretchEnd <= start)
                continue;
            if (step.State == LeaseState.Running && step.HostId is { } host)
            {
                lastRan = host;
                if (!evidence.TryGetValue(host, out var hostSignals))
                    evidence[host] = hostSignals = HostDowntime.Signals(hosts(host), tier, session);
                foreach (var s in hostSignals)
                {
                    var a = s.Start < start ? start : s.Start;
                    var b = s.End is { } se && se < stretchEnd ? se : stretchEnd;
                    if (b > a)
                        signals.Add((s with { Start = a, End = b }, host));
                }
            }
            else if (step.State is LeaseState.Pending or LeaseState.Starting)
            {
                var detail = step.State == LeaseState.Pending ? $"waiting for a new host: {step.Reason}" : $"starting again on {step.HostId}";
                // The wait is the lost host's doing: it is put on the host the lease last ran on.
                signals.Add((new DowntimeSignal(start, stretchEnd, DowntimeCause.HostLost, detail), lastRan));
            }
        }

        var windows = DowntimeTimeline.Windows(signals.Select(s => s.Signal), owedFrom, owedTo);
        var hosted = windows.Select(w => new HostedDowntime(w, HostAt(signals, w))).ToList();
        return new LeaseService(owedFrom, owedTo, hosted, ReplacementBroken(tier, steps, windows, firstRun.Value));
    }

    // The host a window happened on: that of the signal it came from (the first covering signal of its cause).
    private static string? HostAt(List<(DowntimeSignal Signal, string? Host)> signals, DowntimeWindow w) =>
        signals.FirstOrDefault(s => s.Signal.Cause == w.Cause && s.Signal.Detail == w.Detail && s.Signal.Start <= w.Start && (s.Signal.End ?? DateTimeOffset.MaxValue) > w.Start).Host;

    // Each time the lease runs again after waiting, the unbroken downtime that ends there is the replacement's length.
    private static bool ReplacementBroken(SlaTier tier, IReadOnlyList<LeaseStep> steps, List<DowntimeWindow> windows, DateTimeOffset firstRun)
    {
        var waited = false;
        foreach (var step in steps)
        {
            if (step.At <= firstRun || LeaseLifecycle.IsEnded(step.State))
                continue;
            if (step.State == LeaseState.Pending)
                waited = true;
            else if (step.State == LeaseState.Running && waited)
            {
                waited = false;
                var i = windows.FindLastIndex(w => w.End <= step.At);
                if (i < 0 || windows[i].End != step.At)
                    continue;
                var start = windows[i].Start;
                while (i > 0 && windows[i - 1].End == windows[i].Start)
                    start = windows[--i].Start;
                if (step.At - start > tier.MaxReplacement)
                    return true;
            }
        }

        return false;
    }
}
