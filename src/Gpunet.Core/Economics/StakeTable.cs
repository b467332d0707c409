using Gpunet.Core.Ledger;

namespace Gpunet.Core.Economics;

/// <summary>The stake a container must lock before it is matched: K of each of its GPUs × the coefficient.</summary>
/// <remarks>
/// MISSION.md: stake per container = K(GPU model) × coefficient. K is per GPU, so a container with 8 H100s needs
/// 8 × 1000 = 8000 tokens by default. Model names match the table case-insensitively; an unknown model has
/// <see cref="EconomicsOptions.DefaultStakeK"/> (100).
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
        _k = new Dictionary<string, decimal>(options.StakeK, StringComparer.OrdinalIgnoreCase);
        _defaultK = options.DefaultStakeK;
        _coefficient = options.StakeCoefficient;
    }

    /// <summary>K of one GPU of <paramref name="model"/>, in tokens (before the coefficient).</summary>
    public decimal K(string model) =>
        model is not null && _k.TryGetValue(model.Trim(), out var k) ? k : _defaultK;

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
