using Gpunet.Core.Gpus;
using Gpunet.Core.Ledger;

namespace Gpunet.Core.Economics;

/// <summary>The stake a container must lock before it is matched: K of each of its GPUs × the coefficient.</summary>
/// <remarks>
/// MISSION.md: stake per container = K(GPU model) × coefficient. K is per GPU, so a container with 8 H100s needs
/// 8 × 1000 = 8000 tokens by default. Hosts report canonical model names (<c>H100-SXM5-80GB</c>) while the table names
/// families (<c>H100</c>): a model takes its own row if the table has one, else its family's (<see cref="GpuCatalog"/>).
/// Names match case-insensitively, a space the same as a hyphen (<c>RTX 4090</c> is the catalog's <c>RTX-4090</c>); a
/// model in neither has <see cref="EconomicsOptions.DefaultStakeK"/> (100).
/// </remarks>
public sealed class StakeTable
{
    private readonly Dictionary<string, decimal> _k;
    private readonly decimal _defaultK;
    private readonly decimal _coefficient;

    /// <summary>The table of <see cref="EconomicsOptions.StakeK"/>, its default K and the coefficient.</summary>
    public StakeTable(EconomicsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _k = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, k) in options.StakeK)
            _k[Normalize(name)] = k;
        _defaultK = options.DefaultStakeK;
        _coefficient = options.StakeCoefficient;
    }

    /// <summary>K of one GPU of <paramref name="model"/>, in tokens (before the coefficient).</summary>
    public decimal K(string model) =>
        string.IsNullOrWhiteSpace(model) ? _defaultK : _resolved.GetOrAdd(model, Lookup);

    // Settling an epoch asks for every GPU of every container: a model's K is looked up in the table and the catalog once.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, decimal> _resolved = new(StringComparer.Ordinal);

    private decimal Lookup(string model)
    {
        if (_k.TryGetValue(Normalize(model), out var k))
            return k;
        return GpuCatalog.TryGet(model, out var known) && _k.TryGetValue(Normalize(known.Family), out var family) ? family : _defaultK;
    }

    private static string Normalize(string name) => name.Trim().Replace(' ', '-');

    /// <summary>Σ over the container's GPUs of K(model) × coefficient, floored to base units, from how many GPUs of
    /// each model it has: the same amount as one entry per GPU.</summary>
    public TokenAmount RequiredStakeOf(IReadOnlyList<(string Model, int Count)> gpus)
    {
        ArgumentNullException.ThrowIfNull(gpus);
        return DecimalMath.FloorToAmount(KOf(gpus) * _coefficient * TokenAmount.BaseUnitsPerToken, 1m);
    }

    /// <summary>Σ K(model) over the container's GPUs, from how many GPUs of each model it has.</summary>
    public decimal KOf(IReadOnlyList<(string Model, int Count)> gpus)
    {
        ArgumentNullException.ThrowIfNull(gpus);
        decimal k = 0;
        foreach (var (model, count) in gpus)
            k += K(model) * count;
        return k;
    }

    /// <summary>Σ over the container's GPUs of K(model) × coefficient, floored to base units; one entry per GPU.</summary>
    public TokenAmount RequiredStake(IEnumerable<string> gpuModels)
    {
        ArgumentNullException.ThrowIfNull(gpuModels);
        decimal tokens = 0;
        foreach (var model in gpuModels)
            tokens += K(model) * _coefficient;
        return DecimalMath.FloorToAmount(tokens * TokenAmount.BaseUnitsPerToken, 1m);
    }
}
