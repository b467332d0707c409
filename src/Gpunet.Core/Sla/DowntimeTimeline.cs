namespace Gpunet.Core.Sla;

/// <summary>Turns overlapping evidence of downtime into windows that do not overlap.</summary>
public static class DowntimeTimeline
{
    /// <summary>The downtime windows within [<paramref name="from"/>, <paramref name="to"/>), earliest first: no two
    /// overlap; at each moment covered by a signal the window's cause is the first of the covering signals' causes in
    /// <see cref="DowntimeCause"/>'s order (the earliest-starting such signal gives the detail); touching stretches of
    /// one cause and detail are one window. A signal still open (no end) lasts to <paramref name="to"/>.</summary>
    public static List<DowntimeWindow> Windows(IEnumerable<DowntimeSignal> signals, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(signals);
        var clipped = new List<(DateTimeOffset Start, DateTimeOffset End, DowntimeSignal Signal)>();
        foreach (var s in signals)
        {
            var start = s.Start < from ? from : s.Start;
            var end = s.End is { } e && e < to ? e : to;
            if (end > start)
                clipped.Add((start, end, s));
        }

        var windows = new List<DowntimeWindow>();
        if (clipped.Count == 0)
            return windows;

        // Sweep the boundaries: at each, drop the signals that ended and add those that start; the cover's first cause
        // (then earliest start, then input order) names the stretch up to the next boundary.
        var order = Enumerable.Range(0, clipped.Count).ToArray();
        var byStart = order.OrderBy(i => clipped[i].Start).ThenBy(i => i).ToArray();
        var times = clipped.SelectMany(c => new[] { c.Start, c.End }).Distinct().Order().ToArray();
        var active = new SortedSet<(int Cause, long Start, int Index)>();
        var ending = new PriorityQueue<int, DateTimeOffset>();
        var next = 0;
        for (var t = 0; t < times.Length - 1; t++)
        {
            var at = times[t];
            while (ending.TryPeek(out var i, out var end) && end <= at)
            {
                ending.Dequeue();
                active.Remove(Key(clipped[i], i));
            }

            while (next < byStart.Length && clipped[byStart[next]].Start <= at)
            {
                var i = byStart[next++];
                active.Add(Key(clipped[i], i));
                ending.Enqueue(i, clipped[i].End);
            }

            if (active.Count == 0)
                continue;
            var top = clipped[active.Min.Index].Signal;
            var until = times[t + 1];
            if (windows.Count > 0 && windows[^1] is var last && last.End == at && last.Cause == top.Cause && last.Detail == top.Detail)
                windows[^1] = last with { End = until };
            else
                windows.Add(new DowntimeWindow(at, until, top.Cause, top.Detail));
        }

        return windows;
    }

    private static (int, long, int) Key((DateTimeOffset Start, DateTimeOffset End, DowntimeSignal Signal) c, int index) =>
        ((int)c.Signal.Cause, c.Signal.Start.UtcTicks, index);
}
