using System.Globalization;
using Gpunet.Core.Sla;

namespace Gpunet.Coordinator.Sla;

/// <summary>One SLA tier as configuration spells it, under <c>Coordinator:SlaTiers:NAME</c>.</summary>
public sealed class SlaTierOptions
{
    /// <summary>Promised monthly availability in percent, e.g. 99.9.</summary>
    public decimal AvailabilityPercent { get; set; }

    /// <summary>The longest a restartable lease may wait for a new host after its host is lost.</summary>
    public TimeSpan MaxReplacement { get; set; }

    /// <summary>The largest round trip to a session's host, in milliseconds.</summary>
    public double SessionLatencyMs { get; set; }

    /// <summary>Below this share of the claimed model's speed (a capacity check's measure) a lease is degraded.</summary>
    public double DegradedShare { get; set; }

    /// <summary>The credit schedule: <c>BELOW=PERCENT</c> pairs separated by <c>;</c>, availability in percent, e.g.
    /// <c>99.5=10;99.0=30;95.0=100</c> (below 99.5 % 10 % of the period's fees back, and so on).</summary>
    public string Credits { get; set; } = "";

    /// <summary>Credit in percent of the period's fees when a replacement took longer than <see cref="MaxReplacement"/>.</summary>
    public decimal ReplacementCreditPercent { get; set; }

    /// <summary>Least share of liveness checks a host must have passed to serve the tier (0.99).</summary>
    public double MinHostUptime { get; set; }

    /// <summary>Least share of capacity checks a host must have passed.</summary>
    public double MinCheckPassRate { get; set; }

    /// <summary>Least share of its leases a host must have completed rather than cut short.</summary>
    public double MinLeaseCompletion { get; set; }

    /// <summary>The tiers a coordinator offers unless configured otherwise. <c>premium</c> is the name orders used
    /// before tiers were configurable; it keeps business terms.</summary>
    public static Dictionary<string, SlaTierOptions> Defaults() => new(StringComparer.Ordinal)
    {
        ["standard"] = new()
        {
            AvailabilityPercent = 99.0m, MaxReplacement = TimeSpan.FromMinutes(15), SessionLatencyMs = 150, DegradedShare = 0.5,
            Credits = "99.0=10;97.0=25;95.0=100", ReplacementCreditPercent = 10,
            MinHostUptime = 0, MinCheckPassRate = 0, MinLeaseCompletion = 0,
        },
        ["business"] = Business(),
        ["premium"] = Business(),
        ["enterprise"] = new()
        {
            AvailabilityPercent = 99.9m, MaxReplacement = TimeSpan.FromMinutes(2), SessionLatencyMs = 50, DegradedShare = 0.9,
            Credits = "99.9=10;99.5=30;99.0=50;95.0=100", ReplacementCreditPercent = 50,
            MinHostUptime = 0.999, MinCheckPassRate = 0.99, MinLeaseCompletion = 0.98,
        },
    };

    /// <summary>The tier in the core's terms, or the problems with its settings (each naming the key).</summary>
    public (SlaTier? Tier, List<string> Problems) ToTier(string name)
    {
        var problems = new List<string>();
        var key = $"SlaTiers:{name}";
        if (name.Length is 0 or > 32 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            problems.Add($"{key}: a tier's name is 1 to 32 lower-case letters, digits or '-'");
        if (AvailabilityPercent is <= 0 or >= 100)
            problems.Add($"{key}:AvailabilityPercent: above 0 and below 100");
        if (MaxReplacement <= TimeSpan.Zero)
            problems.Add($"{key}:MaxReplacement: must be positive");
        if (!(SessionLatencyMs > 0) || double.IsInfinity(SessionLatencyMs))
            problems.Add($"{key}:SessionLatencyMs: must be positive");
        if (!(DegradedShare is >= 0 and <= 1))
            problems.Add($"{key}:DegradedShare: from 0 to 1");
        if (ReplacementCreditPercent is < 0 or > 100)
            problems.Add($"{key}:ReplacementCreditPercent: from 0 to 100");
        foreach (var (field, value) in new[] { ("MinHostUptime", MinHostUptime), ("MinCheckPassRate", MinCheckPassRate), ("MinLeaseCompletion", MinLeaseCompletion) })
        {
            if (!(value is >= 0 and <= 1))
                problems.Add($"{key}:{field}: from 0 to 1");
        }

        var steps = new List<CreditStep>();
        foreach (var part in Credits.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', StringSplitOptions.TrimEntries);
            if (pair.Length == 2
                && decimal.TryParse(pair[0], NumberStyles.Number, CultureInfo.InvariantCulture, out var below) && below is > 0 and <= 100
                && decimal.TryParse(pair[1], NumberStyles.Number, CultureInfo.InvariantCulture, out var percent) && percent is > 0 and <= 100)
                steps.Add(new CreditStep(below / 100m, percent));
            else
                problems.Add($"{key}:Credits: '{part}' is not BELOW=PERCENT (availability percent above 0 and at most 100, credit percent above 0 and at most 100)");
        }

        if (steps.Count > ShortLists.CreditSteps)
            problems.Add($"{key}:Credits: at most {ShortLists.CreditSteps} steps, not {steps.Count}");
        if (problems.Count > 0)
            return (null, problems);
        return (new SlaTier(name, AvailabilityPercent / 100m, MaxReplacement, SessionLatencyMs, DegradedShare, steps, ReplacementCreditPercent,
            new HostQualification(MinHostUptime, MinCheckPassRate, MinLeaseCompletion)), problems);
    }

    private static SlaTierOptions Business() => new()
    {
        AvailabilityPercent = 99.5m, MaxReplacement = TimeSpan.FromMinutes(5), SessionLatencyMs = 80, DegradedShare = 0.7,
        Credits = "99.5=10;99.0=30;95.0=100", ReplacementCreditPercent = 25,
        MinHostUptime = 0.99, MinCheckPassRate = 0.9, MinLeaseCompletion = 0.9,
    };
}
