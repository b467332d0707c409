using System.Globalization;
using Gpunet.Core.Marketplace;

namespace Gpunet.Core.Sla;

/// <summary>Whether a host is near enough, by measured round trips, to serve a session or service lease of a tier: the
/// median of the checkers' recent round trips to it must be at most the tier's <see cref="SlaTier.SessionLatencyMs"/>.</summary>
/// <remarks>The round trips are measured from the checkers, not from the customer: they bound how slow the host answers
/// the network, while an order's own <c>maxLatencyMs</c> bounds the distance from the customer. The median, so that one
/// far or slow checker neither passes nor refuses a host alone. A host with no round trips yet passes, as a host with no
/// record passes <see cref="HostQualificationRules"/>; exactly at the bound passes. Pure.</remarks>
public static class SessionLatencyRule
{
    /// <summary>Whether leases of <paramref name="kind"/> are held to the tier's round-trip bound (sessions and services,
    /// as the measurement holds them: <see cref="HostDowntime"/>).</summary>
    public static bool Applies(WorkloadKind kind) => kind is WorkloadKind.Session or WorkloadKind.Service;

    /// <summary>The median of <paramref name="roundTripsMs"/> (the mean of the middle two for an even count), or null
    /// when there are none.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A round trip that is negative, infinite or not a number.</exception>
    public static double? Median(IReadOnlyList<double> roundTripsMs)
    {
        ArgumentNullException.ThrowIfNull(roundTripsMs);
        if (roundTripsMs.Count == 0)
            return null;
        var sorted = new double[roundTripsMs.Count];
        for (var i = 0; i < sorted.Length; i++)
        {
            var ms = roundTripsMs[i];
            if (!double.IsFinite(ms) || ms < 0)
                throw new ArgumentOutOfRangeException(nameof(roundTripsMs), ms, "A round trip must be a finite, non-negative number of milliseconds.");
            sorted[i] = ms;
        }

        Array.Sort(sorted);
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>Why a host whose checkers measured <paramref name="roundTripsMs"/> may not serve a session of
    /// <paramref name="tier"/> (<c>round trip 120 ms &gt; enterprise's 50 ms</c>), or null when it may.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A round trip that is negative, infinite or not a number.</exception>
    public static string? Refusal(SlaTier tier, IReadOnlyList<double> roundTripsMs)
    {
        ArgumentNullException.ThrowIfNull(tier);
        if (Median(roundTripsMs) is not { } median || median <= tier.SessionLatencyMs)
            return null;
        var (shown, bound) = Milliseconds(median, tier.SessionLatencyMs);
        return $"round trip {shown} ms > {tier.Name}'s {bound} ms";
    }

    // "120 ms > enterprise's 50 ms": whole milliseconds, more decimals where fewer would show the two as equal (50.04
    // against 50), the measured median cut down rather than rounded up, so that the text never claims more than was measured.
    private static (string Shown, string Bound) Milliseconds(double median, double bound)
    {
        for (var decimals = 0; ; decimals++)
        {
            var shown = Math.Round((decimal)median, decimals, MidpointRounding.ToZero);
            var most = Math.Round((decimal)bound, decimals, MidpointRounding.AwayFromZero);
            if (shown > most || decimals == 6)
            {
                var format = "F" + decimals.ToString(CultureInfo.InvariantCulture);
                return (shown.ToString(format, CultureInfo.InvariantCulture), most.ToString(format, CultureInfo.InvariantCulture));
            }
        }
    }
}
