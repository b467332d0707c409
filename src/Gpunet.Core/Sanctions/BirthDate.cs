using System.Globalization;

namespace Gpunet.Core.Sanctions;

/// <summary>A date of birth as a sanctions list records it: a full date, a month and year, a year, a year "circa", or a range of years.</summary>
/// <param name="Year">The year, or the first year of a range.</param>
/// <param name="Month">1–12 when the month is known.</param>
/// <param name="Day">1–31 when the day is known (only with a month).</param>
/// <param name="ToYear">The last year of a range (<c>DOB 1958 to 1962</c>), otherwise null.</param>
/// <param name="Circa">True for <c>DOB circa 1960</c>: the year is approximate and any year within one of it agrees.</param>
public readonly record struct BirthDate(int Year, int? Month = null, int? Day = null, int? ToYear = null, bool Circa = false)
{
    /// <summary>Whether a person born on <paramref name="dob"/> could be the person this date describes.</summary>
    public bool Matches(DateOnly dob)
    {
        if (ToYear is { } to)
            return dob.Year >= Year && dob.Year <= to;
        if (Circa)
            return Math.Abs(dob.Year - Year) <= 1;
        return dob.Year == Year && (Month is not { } m || m == dob.Month) && (Day is not { } d || d == dob.Day);
    }

    /// <summary>The date in OFAC's spelling, e.g. <c>12 Jan 1960</c>, <c>circa 1960</c> or <c>1958 to 1962</c>.</summary>
    public override string ToString()
    {
        if (ToYear is { } to)
            return $"{Year} to {to}";
        if (Circa)
            return $"circa {Year}";
        var month = Month is { } m ? CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedMonthName(m) + " " : "";
        var day = Day is { } d ? $"{d:00} " : "";
        return $"{day}{month}{Year}";
    }
}
