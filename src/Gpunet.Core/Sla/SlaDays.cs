namespace Gpunet.Core.Sla;

/// <summary>A period's availability day by day (UTC), for a report's daily figures and its chart.</summary>
public static class SlaDays
{
    /// <summary>Every UTC day of [<paramref name="from"/>, <paramref name="to"/>), earliest first: the seconds of the
    /// <paramref name="obligated"/> stretches on it (one per lease: several leases owe service side by side, so a day may
    /// owe more than a day's seconds) and the seconds of <paramref name="windows"/> on it that count against the
    /// customer. A window that spans midnight counts on each day for its part of that day; maintenance never counts.</summary>
    public static List<SlaDay> Split(
        DateTimeOffset from, DateTimeOffset to, IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> obligated, IEnumerable<DowntimeWindow> windows)
    {
        ArgumentNullException.ThrowIfNull(obligated);
        ArgumentNullException.ThrowIfNull(windows);
        var owed = obligated.ToList();
        var down = windows.Where(w => w.Cause != DowntimeCause.Maintenance).ToList();
        return
        [
            .. UtcDays.Of(from, to).Select(d => new SlaDay(
                d.Day,
                owed.Sum(o => UtcDays.Overlap(o.Start, o.End, d.Start, d.End)),
                down.Sum(w => UtcDays.Overlap(w.Start, w.End, d.Start, d.End)))),
        ];
    }
}
