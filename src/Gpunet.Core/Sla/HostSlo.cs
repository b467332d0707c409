namespace Gpunet.Core.Sla;

/// <summary>The host SLO: less than a limit (30 minutes) offline per UTC day, and at least a share (99 %) of the month up.
/// Every downtime window counts against the host, declared maintenance too: a host promises to be there, whatever it
/// told its customers ahead of time.</summary>
public static class HostSlo
{
    /// <summary>The host's <paramref name="day"/> within [<paramref name="from"/>, <paramref name="to"/>): offline seconds
    /// are those of <paramref name="windows"/> on that day (overlapping windows counted once); met while they stay below
    /// <paramref name="dailyLimit"/>.</summary>
    public static HostSloDay Day(DateOnly day, DateTimeOffset from, DateTimeOffset to, IEnumerable<DowntimeWindow> windows, TimeSpan dailyLimit)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var start = UtcDays.StartOf(day);
        var end = UtcDays.StartOf(day.AddDays(1));
        if (start < from)
            start = from;
        if (end > to)
            end = to;
        var observed = end > start ? (end - start).TotalSeconds : 0;
        var offline = Merged(windows).Sum(w => UtcDays.Overlap(w.Start, w.End, start, end));
        return new HostSloDay(day, observed, offline, offline < dailyLimit.TotalSeconds);
    }

    /// <summary><see cref="Day"/> for every UTC day of [<paramref name="from"/>, <paramref name="to"/>), earliest first.</summary>
    public static List<HostSloDay> Days(DateTimeOffset from, DateTimeOffset to, IEnumerable<DowntimeWindow> windows, TimeSpan dailyLimit)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var merged = Merged(windows);
        return [.. UtcDays.Of(from, to).Select(d => Day(d.Day, d.Start, d.End, merged, dailyLimit))];
    }

    /// <summary>The share of <paramref name="observedSeconds"/> the host was up: 1 − the seconds of
    /// <paramref name="windows"/> (overlaps counted once) ÷ the observed seconds, clamped to [0, 1]; 1 when nothing was
    /// observed.</summary>
    public static double MonthlyUptime(double observedSeconds, IEnumerable<DowntimeWindow> windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        return SlaAvailability.Of(observedSeconds, Merged(windows).Sum(w => w.Length.TotalSeconds));
    }

    /// <summary>Whether the host kept its SLO: every day under the daily limit and the month's uptime at least
    /// <paramref name="monthlyTarget"/>.</summary>
    public static bool Met(IEnumerable<HostSloDay> days, double monthlyUptime, double monthlyTarget)
    {
        ArgumentNullException.ThrowIfNull(days);
        return days.All(d => d.Met) && monthlyUptime >= monthlyTarget;
    }

    /// <summary>The windows' union as stretches that do not overlap, earliest first (the measurement's windows never
    /// overlap; this keeps the SLO right if a caller's do).</summary>
    private static List<DowntimeWindow> Merged(IEnumerable<DowntimeWindow> windows)
    {
        var merged = new List<DowntimeWindow>();
        foreach (var w in windows.Where(w => w.End > w.Start).OrderBy(w => w.Start))
        {
            if (merged.Count > 0 && merged[^1] is var last && w.Start <= last.End)
            {
                if (w.End > last.End)
                    merged[^1] = last with { End = w.End };
            }
            else
            {
                merged.Add(w);
            }
        }

        return merged;
    }
}
