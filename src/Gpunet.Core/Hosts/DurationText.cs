using System.Globalization;

namespace Gpunet.Core.Hosts;

/// <summary>Short durations for people: <c>0.5 s</c>, <c>34 s</c>, <c>90 s</c>, <c>2 min 5 s</c>, <c>3 h 10 min</c>, <c>2 d 4 h</c>.</summary>
/// <remarks>Tenths of a second below ten seconds (a heartbeat every 0.5 s is not "every 0 s"), whole seconds below two
/// minutes (so <c>61 s</c> reads against a <c>60 s</c> grace period), then the two largest units, truncated; negative
/// durations read as 0 s.</remarks>
internal static class DurationText
{
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
            duration = TimeSpan.Zero;
        var c = CultureInfo.InvariantCulture;
        if (duration < TimeSpan.FromSeconds(10))
            return string.Create(c, $"{Math.Floor(duration.TotalSeconds * 10) / 10:0.#} s");
        if (duration < TimeSpan.FromMinutes(2))
            return string.Create(c, $"{(int)duration.TotalSeconds} s");
        if (duration < TimeSpan.FromHours(1))
            return Pair(c, (int)duration.TotalMinutes, "min", duration.Seconds, "s");
        if (duration < TimeSpan.FromDays(1))
            return Pair(c, (int)duration.TotalHours, "h", duration.Minutes, "min");
        return Pair(c, (int)duration.TotalDays, "d", duration.Hours, "h");
    }

    private static string Pair(CultureInfo c, int major, string majorUnit, int minor, string minorUnit) =>
        minor == 0
            ? string.Create(c, $"{major} {majorUnit}")
            : string.Create(c, $"{major} {majorUnit} {minor} {minorUnit}");
}
