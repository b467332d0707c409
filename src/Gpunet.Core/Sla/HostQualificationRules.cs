using System.Globalization;
using Gpunet.Core.Verification;

namespace Gpunet.Core.Sla;

/// <summary>Whether a host's track record qualifies it to serve a tier: its measured uptime (liveness checks passed, with
/// minutes seen offline counted as failed), its capacity-check pass rate and its lease completion, each against the
/// tier's <see cref="HostQualification"/>.</summary>
/// <remarks>A kind with no evidence yet (no liveness checks, no capacity checks, no ended leases) passes: a new network
/// has no record at all, and a new host earns one only by serving. Exactly at a bound passes. Pure.</remarks>
public static class HostQualificationRules
{
    /// <summary>The first shortfall of <paramref name="record"/> against <paramref name="qualification"/>, in words with
    /// figures (<c>uptime 98.20 % &lt; 99.90 %</c>), or null when the host qualifies. Uptime is looked at first, then
    /// checks, then lease completion.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative count.</exception>
    public static string? Shortfall(HostQualification qualification, HostTrackRecord record)
    {
        ArgumentNullException.ThrowIfNull(qualification);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentOutOfRangeException.ThrowIfNegative(record.CapacityPassed);
        ArgumentOutOfRangeException.ThrowIfNegative(record.CapacityFailed);
        ArgumentOutOfRangeException.ThrowIfNegative(record.LivenessPassed);
        ArgumentOutOfRangeException.ThrowIfNegative(record.LivenessFailed);
        ArgumentOutOfRangeException.ThrowIfNegative(record.LeasesCompleted);
        ArgumentOutOfRangeException.ThrowIfNegative(record.LeasesInterrupted);

        return Below("uptime", record.LivenessPassed, record.LivenessFailed, qualification.MinUptime)
            ?? Below("check pass rate", record.CapacityPassed, record.CapacityFailed, qualification.MinCheckPassRate)
            ?? Below("lease completion", record.LeasesCompleted, record.LeasesInterrupted, qualification.MinLeaseCompletion);
    }

    /// <summary>Whether <paramref name="record"/> meets <paramref name="qualification"/>.</summary>
    public static bool Qualifies(HostQualification qualification, HostTrackRecord record) => Shortfall(qualification, record) is null;

    // The rate good ÷ (good + bad) against its least share; no evidence passes. A division is correctly rounded, so a
    // rate exactly at a bound (999 of 1000 against 0.999) compares equal to the bound as configuration parsed it.
    private static string? Below(string what, long good, long bad, double least)
    {
        var total = good + bad;
        if (total == 0 || least <= 0)
            return null;
        var rate = good / (double)total;
        return rate >= least ? null : $"{what} {Percents(good, total, least)}";
    }

    // "98.20 % < 99.90 %": two decimals, more where two decimals would show the two as equal (99.899 against 99.9),
    // the measured rate cut down rather than rounded up (in decimals, so 982 of 1000 shows 98.20, not 98.19), so the
    // text never claims more than was measured.
    private static string Percents(long good, long total, double least)
    {
        var percent = good * 100m / total;
        for (var decimals = 2; ; decimals++)
        {
            var shown = Math.Round(percent, decimals, MidpointRounding.ToZero);
            var bound = Math.Round((decimal)least * 100m, decimals, MidpointRounding.AwayFromZero);
            if (shown < bound || decimals == 6)
            {
                var format = "F" + decimals.ToString(CultureInfo.InvariantCulture);
                return $"{shown.ToString(format, CultureInfo.InvariantCulture)} % < {bound.ToString(format, CultureInfo.InvariantCulture)} %";
            }
        }
    }
}
