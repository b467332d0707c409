using Gpunet.Core.Ledger;

namespace Gpunet.Core.Economics;

/// <summary>The decaying emission: how much of the emission pool each epoch pays out as rewards.</summary>
/// <remarks>
/// <para>At genesis the pool holds floor(42 × 10^9 tokens × <see cref="EconomicsOptions.GenesisEmissionShare"/>)
/// (default half: 21 × 10^9 tokens). Epoch e emits floor(E0 × d^e), where d = 0.5^(epoch length / half-life) and
/// E0 = pool × (1 − d): a geometric series that sums to the pool and halves every half-life (default 4 × 365.25 days,
/// so the first daily epoch emits about 9.96 million tokens). It never emits more than the pool still holds.</para>
/// <para>Decimal maths only: d^e is computed as 0.5^(e × epoch ticks / half-life ticks), whole halvings exactly and
/// the fraction by a fixed series, so every machine gets the same amounts.</para>
/// </remarks>
public sealed class EmissionSchedule
{
    private readonly long _epochTicks;
    private readonly long _halfLifeTicks;
    private readonly decimal _firstEpoch; // E0 in base units, unrounded

    /// <summary>The schedule of these options' genesis share, epoch length and half-life.</summary>
    public EmissionSchedule(EconomicsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.EpochLength <= TimeSpan.Zero || options.EmissionHalfLife <= TimeSpan.Zero)
            throw new ArgumentException("the epoch length and the emission half-life must be positive", nameof(options));
        if (options.GenesisEmissionShare is < 0 or > 1)
            throw new ArgumentException("the genesis emission share is from 0 to 1", nameof(options));
        _epochTicks = options.EpochLength.Ticks;
        _halfLifeTicks = options.EmissionHalfLife.Ticks;
        PoolAtGenesis = TokenAmount.FromBaseUnits((long)decimal.Floor(TokenAmount.TotalSupplyBaseUnits * options.GenesisEmissionShare));
        Decay = DecimalMath.HalfPower(_epochTicks, _halfLifeTicks);
        _firstEpoch = PoolAtGenesis.BaseUnits * (1 - Decay);
    }

    /// <summary>What the emission pool holds at genesis: floor(total supply × genesis emission share).</summary>
    public TokenAmount PoolAtGenesis { get; }

    /// <summary>d = 0.5^(epoch length / half-life), the factor from one epoch's emission to the next.</summary>
    public decimal Decay { get; }

    /// <summary>min(<paramref name="poolBalance"/>, floor(E0 × d^<paramref name="epoch"/>)): what epoch <paramref name="epoch"/> emits.</summary>
    public TokenAmount For(long epoch, TokenAmount poolBalance)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        var factor = DecimalMath.HalfPower((Int128)epoch * _epochTicks, _halfLifeTicks);
        var scheduled = TokenAmount.FromBaseUnits((long)decimal.Floor(_firstEpoch * factor));
        return scheduled < poolBalance ? scheduled : poolBalance;
    }
}
