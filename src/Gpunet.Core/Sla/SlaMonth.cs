using System.Globalization;

namespace Gpunet.Core.Sla;

/// <summary>A calendar month (UTC), the period a service contract's availability and a report are reckoned over;
/// written <c>YYYY-MM</c>.</summary>
public readonly record struct SlaMonth
{
    private SlaMonth(int year, int month) => (Year, Month) = (year, month);

    public int Year { get; }

    public int Month { get; }

    /// <summary>Midnight UTC on its first day.</summary>
    public DateTimeOffset Start => new(Year, Month, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Midnight UTC on the next month's first day (the period is [<see cref="Start"/>, <see cref="End"/>)).</summary>
    public DateTimeOffset End => Start.AddMonths(1);

    /// <summary>The month <paramref name="at"/> falls in, UTC.</summary>
    public static SlaMonth Of(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new SlaMonth(utc.Year, utc.Month);
    }

    /// <summary>Reads <c>YYYY-MM</c> exactly (year 1 to 9998, month 01 to 12); false for anything else.</summary>
    public static bool TryParse(string? text, out SlaMonth month)
    {
        month = default;
        if (text is not { Length: 7 } || text[4] != '-'
            || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            || year is < 1 or > 9998 || m is < 1 or > 12)
            return false;
        month = new SlaMonth(year, m);
        return true;
    }

    /// <summary>The part of the month that has happened by <paramref name="now"/>: [start, min(end, now)); null when the
    /// month has not begun (a report on the future has nothing to say).</summary>
    public (DateTimeOffset From, DateTimeOffset To)? SoFar(DateTimeOffset now) =>
        now < Start ? null : (Start, End < now ? End : now);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}");
}
