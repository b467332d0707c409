namespace Gpunet.Core.Sla;

/// <summary>Splitting time into UTC calendar days, as the daily figures of a report and the daily host SLO count them.</summary>
internal static class UtcDays
{
    /// <summary>Each UTC day that [<paramref name="from"/>, <paramref name="to"/>) touches, with the part of the period
    /// that falls on it; none when the period is empty.</summary>
    public static IEnumerable<(DateOnly Day, DateTimeOffset Start, DateTimeOffset End)> Of(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
            yield break;
        var day = DateOnly.FromDateTime(from.UtcDateTime);
        while (true)
        {
            var start = StartOf(day);
            if (start >= to)
                yield break;
            var end = StartOf(day.AddDays(1));
            yield return (day, start < from ? from : start, end > to ? to : end);
            day = day.AddDays(1);
        }
    }

    /// <summary>Midnight UTC at the start of <paramref name="day"/>.</summary>
    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>Seconds that [<paramref name="start"/>, <paramref name="end"/>) and [<paramref name="from"/>,
    /// <paramref name="to"/>) share.</summary>
    public static double Overlap(DateTimeOffset start, DateTimeOffset end, DateTimeOffset from, DateTimeOffset to)
    {
        var s = start > from ? start : from;
        var e = end < to ? end : to;
        return e > s ? (e - s).TotalSeconds : 0;
    }
}
