namespace Gpunet.Core.Verification;

/// <summary>A host's reputation, 0 (worst) to 1 (best), from its track record: capacity checks passed, uptime seen by
/// liveness checks, and leases completed. What <c>best-experience</c> and <c>balanced</c> rankings use.</summary>
/// <remarks>
/// <para>Each part is a rate smoothed towards <see cref="Prior"/> (0.5, neutral) by a few pseudo-observations, so that a
/// host with no record is neither trusted nor distrusted, and a handful of events cannot swing it to 0 or 1:</para>
/// <list type="bullet">
/// <item><b>Capacity</b> = (passed + <see cref="CapacityPrior"/>·½) / (passed + <see cref="CapacityFailureWeight"/>·failed +
/// <see cref="CapacityPrior"/>). A failed capacity check is a deceit (a weaker card, missing GPUs, wrong products): it
/// counts as <see cref="CapacityFailureWeight"/> (10) checks, so one failure with no passes takes this part to 1/12, and
/// it takes ten passes to bring it back to about one half.</item>
/// <item><b>Uptime</b> = (minutes up + <see cref="UptimePriorMinutes"/>·½) / (minutes seen + <see cref="UptimePriorMinutes"/>):
/// liveness is checked every minute, so the prior is one hour of evidence.</item>
/// <item><b>Completion</b> = (completed + <see cref="CompletionPrior"/>·½) / (ended + <see cref="CompletionPrior"/>).</item>
/// </list>
/// <para>Reputation = capacity^<see cref="CapacityWeight"/> × uptime^<see cref="UptimeWeight"/> ×
/// completion^<see cref="CompletionWeight"/>, a weighted geometric mean: one very bad part (a caught deceit) drags the
/// whole down, which a weighted sum would average away. Weights: capacity 0.5, because it is the one part checked by an
/// independent majority against the claim itself and the only one a host can fake by lying; uptime 0.3, the SLO
/// (≥ 99 % monthly) and every minute's evidence; completion 0.2, what a customer feels, but few events and partly the
/// customer's doing. The weights sum to 1, so equal parts give that value back (no record: exactly 0.5).</para>
/// <para>Pure; monotone: more passes, minutes up or completions never lower it, more failures, minutes down or
/// interruptions never raise it.</para>
/// </remarks>
public static class HostReputation
{
    /// <summary>The neutral value each part starts from, and the reputation of a host with no record.</summary>
    public const double Prior = 0.5;

    /// <summary>Pseudo-checks of capacity at <see cref="Prior"/>.</summary>
    public const double CapacityPrior = 2;

    /// <summary>How many checks one failed capacity check counts as.</summary>
    public const double CapacityFailureWeight = 10;

    /// <summary>Pseudo-minutes of liveness at <see cref="Prior"/>: one hour.</summary>
    public const double UptimePriorMinutes = 60;

    /// <summary>Pseudo-leases at <see cref="Prior"/>.</summary>
    public const double CompletionPrior = 2;

    /// <summary>Exponent of the capacity part.</summary>
    public const double CapacityWeight = 0.5;

    /// <summary>Exponent of the uptime part.</summary>
    public const double UptimeWeight = 0.3;

    /// <summary>Exponent of the completion part.</summary>
    public const double CompletionWeight = 0.2;

    /// <summary>The reputation of a host with <paramref name="record"/>, in [0, 1].</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative count.</exception>
    public static double Of(HostTrackRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentOutOfRangeException.ThrowIfNegative(record.CapacityPassed);
        ArgumentOutOfRangeException.ThrowIfNegative(record.CapacityFailed);
        ArgumentOutOfRangeException.ThrowIfNegative(record.LivenessPassed);
        ArgumentOutOfRangeException.ThrowIfNegative(record.LivenessFailed);
        ArgumentOutOfRangeException.ThrowIfNegative(record.LeasesCompleted);
        ArgumentOutOfRangeException.ThrowIfNegative(record.LeasesInterrupted);

        var capacity = Smoothed(record.CapacityPassed, record.CapacityPassed + (CapacityFailureWeight * record.CapacityFailed), CapacityPrior);
        var uptime = Smoothed(record.LivenessPassed, record.LivenessPassed + (double)record.LivenessFailed, UptimePriorMinutes);
        var completion = Smoothed(record.LeasesCompleted, record.LeasesCompleted + (double)record.LeasesInterrupted, CompletionPrior);
        var reputation = Math.Pow(capacity, CapacityWeight) * Math.Pow(uptime, UptimeWeight) * Math.Pow(completion, CompletionWeight);
        // Rounding in Pow can stray past the ends by an ulp.
        return Math.Clamp(reputation, 0, 1);
    }

    private static double Smoothed(double good, double total, double prior) => (good + (prior * Prior)) / (total + prior);
}
