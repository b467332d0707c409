using Gpunet.Core.Sla;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Sla;

/// <summary>The tiers this coordinator offers, read once from validated options.</summary>
internal sealed class SlaTiers(IOptions<SlaOptions> options)
{
    private readonly SortedDictionary<string, SlaTier> _tiers = Read(options.Value);

    /// <summary>The most tiers a coordinator offers: a customer chooses among a few.</summary>
    public const int MaxTiers = 32;

    /// <summary>Every tier, by name.</summary>
    public IReadOnlyDictionary<string, SlaTier> All => _tiers;

    /// <summary>The tier called <paramref name="name"/>, or null when there is none.</summary>
    public SlaTier? Find(string name) => _tiers.GetValueOrDefault(name);

    /// <summary>The tiers' names, comma-separated, for errors that list what is accepted.</summary>
    public string Names => string.Join(", ", _tiers.Keys);

    /// <summary>Every problem with the configured tiers, each naming its key; empty when they are all valid.</summary>
    public static List<string> Problems(SlaOptions options)
    {
        var problems = new List<string>();
        if (options.SlaTiers.Count == 0)
            problems.Add("SlaTiers: at least one tier");
        if (options.SlaTiers.Count > MaxTiers)
            problems.Add($"SlaTiers: at most {MaxTiers} tiers, not {options.SlaTiers.Count}");
        foreach (var (name, tier) in options.SlaTiers)
            problems.AddRange(tier.ToTier(name).Problems);
        return problems;
    }

    private static SortedDictionary<string, SlaTier> Read(SlaOptions options)
    {
        var tiers = new SortedDictionary<string, SlaTier>(StringComparer.Ordinal);
        foreach (var (name, settings) in options.SlaTiers)
            tiers[name] = settings.ToTier(name).Tier ?? throw new InvalidOperationException($"SLA tier {name} is not valid (options are validated at start)");
        return tiers;
    }
}
