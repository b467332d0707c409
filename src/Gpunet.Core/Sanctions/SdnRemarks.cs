using System.Globalization;
using System.Text.RegularExpressions;

namespace Gpunet.Core.Sanctions;

/// <summary>The facts screening uses from an SDN entry's free-text remarks: dates of birth, countries and aliases.</summary>
/// <remarks>Remarks are <c>;</c>-separated facts such as <c>DOB 12 Jan 1960; alt. DOB 1961; POB Tehran, Iran;
/// nationality Iran; citizen Iran; a.k.a. 'ABC'</c>. Facts this does not know (passports, gender, websites) and
/// countries it cannot name are skipped: remarks are prose, not a format, so nothing here throws.</remarks>
internal static partial class SdnRemarks
{
    /// <summary>The dates of birth, country codes and quoted aliases in <paramref name="remarks"/>, each without repeats.</summary>
    public static (List<BirthDate> Dates, List<string> Countries, List<string> Aliases) Parse(string remarks)
    {
        var dates = new List<BirthDate>();
        var countries = new List<string>();
        var aliases = new List<string>();
        foreach (var raw in remarks.Split(';'))
        {
            var fact = raw.Trim();
            if (fact.EndsWith('.'))
                fact = fact[..^1].TrimEnd();
            Match m;
            if ((m = DobFact().Match(fact)).Success)
            {
                if (ParseDate(m.Groups[1].Value) is { } date && !dates.Contains(date))
                    dates.Add(date);
            }
            else if ((m = PobFact().Match(fact)).Success)
            {
                // "POB Tehran, Iran": the country is the last part; "POB Iran" is the country alone.
                var place = m.Groups[1].Value;
                var country = place[(place.LastIndexOf(',') + 1)..];
                AddCountry(countries, SanctionsCountries.Resolve(country) ?? SanctionsCountries.Resolve(place));
            }
            else if ((m = CountryFact().Match(fact)).Success)
            {
                AddCountry(countries, SanctionsCountries.Resolve(m.Groups[1].Value));
            }
            else if ((m = AliasFact().Match(fact)).Success)
            {
                var alias = m.Groups[1].Value.Trim();
                if (alias.Length > 0 && !aliases.Contains(alias, StringComparer.OrdinalIgnoreCase))
                    aliases.Add(alias);
            }
        }

        return (dates, countries, aliases);
    }

    /// <summary>One OFAC date of birth: <c>12 Jan 1960</c>, <c>Jan 1960</c>, <c>1960</c>, <c>circa 1960</c> or <c>1958 to 1962</c>.</summary>
    public static BirthDate? ParseDate(string text)
    {
        var t = text.Trim();
        Match m;
        if ((m = RangeDate().Match(t)).Success)
        {
            var from = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            var to = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            return to >= from ? new BirthDate(from, ToYear: to) : null;
        }

        if ((m = CircaDate().Match(t)).Success)
            return new BirthDate(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Circa: true);
        if (!(m = ExactDate().Match(t)).Success)
            return null;
        var year = int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        int? month = m.Groups[2].Success ? Month(m.Groups[2].Value) : null;
        int? day = m.Groups[1].Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
        if ((m.Groups[2].Success && month is null) || (day is not null && month is null))
            return null;
        if (day is { } d && (d < 1 || d > DateTime.DaysInMonth(year, month!.Value)))
            return null;
        return new BirthDate(year, month, day);
    }

    private static void AddCountry(List<string> countries, string? code)
    {
        if (code is not null && !countries.Contains(code))
            countries.Add(code);
    }

    private static int? Month(string name)
    {
        var names = CultureInfo.InvariantCulture.DateTimeFormat.AbbreviatedMonthNames;
        var i = Array.FindIndex(names, n => n.Length > 0 && name.StartsWith(n, StringComparison.OrdinalIgnoreCase));
        return i >= 0 ? i + 1 : null;
    }

    [GeneratedRegex(@"^(?:alt\.\s+)?DOB\s+(.+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DobFact();

    [GeneratedRegex(@"^(?:alt\.\s+)?POB\s+(.+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PobFact();

    [GeneratedRegex(@"^(?:alt\.\s+)?(?:nationality\s+of\s+registration|nationality|citizen)\s+(.+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CountryFact();

    [GeneratedRegex(@"^[afn]\.k\.a\.,?\s+'(.+)'$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AliasFact();

    [GeneratedRegex(@"^(?:(\d{1,2})\s+)?(?:([A-Za-z]{3,9})\s+)?(\d{4})$", RegexOptions.CultureInvariant)]
    private static partial Regex ExactDate();

    [GeneratedRegex(@"^circa\s+(\d{4})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CircaDate();

    // "1958 to 1962", also "01 Jan 1958 to 31 Dec 1962": kept as a range of years.
    [GeneratedRegex(@"^(?:\d{1,2}\s+)?(?:[A-Za-z]{3,9}\s+)?(\d{4})\s+to\s+(?:\d{1,2}\s+)?(?:[A-Za-z]{3,9}\s+)?(\d{4})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RangeDate();
}
