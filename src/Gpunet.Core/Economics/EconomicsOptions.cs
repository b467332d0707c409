using System.Globalization;

namespace Gpunet.Core.Economics;

/// <summary>Every number of the network's economics, with MISSION.md's defaults.</summary>
/// <remarks>
/// Times are spans; epochs are anchored at Unix time 0, so with the default one-day <see cref="EpochLength"/> epoch n
/// starts at 00:00 UTC of day n after 1970-01-01. <see cref="Validate"/> lists what is wrong with a configuration.
/// </remarks>
public sealed record EconomicsOptions
{
    /// <summary>The default stake constants K, in tokens per GPU of a model.</summary>
    public static IReadOnlyDictionary<string, decimal> DefaultStakeTable { get; } =
        new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase)
        {
            ["H200"] = 1200m,
            ["H100"] = 1000m,
            ["A100"] = 600m,
            ["L40S"] = 400m,
            ["RTX 4090"] = 200m,
            ["RTX 3090"] = 100m,
        };

    /// <summary>The protocol's share of every fee, to the treasury; the host gets the rest (MISSION.md: 20 %, 80 % to the host).</summary>
    public decimal ProtocolFeeShare { get; init; } = 0.20m;

    /// <summary>How long fees and rewards vest, linearly (MISSION.md: 45 days).</summary>
    public TimeSpan VestingPeriod { get; init; } = TimeSpan.FromDays(45);

    /// <summary>How long unstaked tokens wait before they are available (MISSION.md: 180 days).</summary>
    public TimeSpan UnbondingPeriod { get; init; } = TimeSpan.FromDays(180);

    /// <summary>The settlement epoch (MISSION.md: fees are distributed daily at 00:00 UTC), anchored at Unix time 0.</summary>
    public TimeSpan EpochLength { get; init; } = TimeSpan.FromDays(1);

    /// <summary>The stake coefficient: a container stakes K × coefficient per GPU (default 1).</summary>
    public decimal StakeCoefficient { get; init; } = 1.0m;

    /// <summary>K per GPU model, in tokens per GPU; model names match case-insensitively (default <see cref="DefaultStakeTable"/>).</summary>
    public IReadOnlyDictionary<string, decimal> StakeK { get; init; } = DefaultStakeTable;

    /// <summary>K of a model not in <see cref="StakeK"/>, in tokens per GPU (default 100).</summary>
    public decimal DefaultStakeK { get; init; } = 100m;

    /// <summary>The share of the required stake slashed for downtime while serving (MISSION.md: 1/3 × K × coefficient).</summary>
    public Fraction DowntimeSlashFraction { get; init; } = new(1, 3);

    /// <summary>The share of the required stake slashed for deceit or delivering well below spec (MISSION.md: K × coefficient, all of it).</summary>
    public Fraction DeceitSlashFraction { get; init; } = Fraction.One;

    /// <summary>The share of the 42 × 10^9 token supply put in the emission pool at genesis (default 0.5).</summary>
    public decimal GenesisEmissionShare { get; init; } = 0.5m;

    /// <summary>The emission halves every half-life (default 4 × 365.25 days).</summary>
    public TimeSpan EmissionHalfLife { get; init; } = TimeSpan.FromDays(4 * 365.25);

    /// <summary>The share of each epoch's emission paid for Proof of Capacity (default 0.6).</summary>
    public decimal CapacityRewardShare { get; init; } = 0.6m;

    /// <summary>The share of each epoch's emission paid for Proof of Delivery (default 0.3).</summary>
    public decimal DeliveryRewardShare { get; init; } = 0.3m;

    /// <summary>The share of each epoch's emission paid to checkers for correct reports (default 0.1).</summary>
    public decimal CheckerRewardShare { get; init; } = 0.1m;

    /// <summary>How many hours of an on-demand lease are held from the customer's balance ahead (default 24).</summary>
    public int OnDemandHoldHours { get; init; } = 24;

    /// <summary>The epoch that contains <paramref name="at"/>: whole <see cref="EpochLength"/>s since Unix time 0.</summary>
    public long EpochOf(DateTimeOffset at) =>
        (long)Math.Floor((decimal)(at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / EpochLength.Ticks);

    /// <summary>When <paramref name="epoch"/> starts: Unix time 0 plus epoch × <see cref="EpochLength"/>, in UTC.</summary>
    public DateTimeOffset EpochStart(long epoch) => DateTimeOffset.UnixEpoch + (EpochLength * epoch);

    /// <summary>What is wrong with these options, one sentence each; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        void Share(string name, decimal value)
        {
            if (value is < 0 or > 1)
                problems.Add($"{name} is {Text(value)}; a share is from 0 to 1");
        }

        void Period(string name, TimeSpan value)
        {
            if (value <= TimeSpan.Zero)
                problems.Add($"{name} is {value}; it must be positive");
        }

        Share(nameof(ProtocolFeeShare), ProtocolFeeShare);
        Share(nameof(GenesisEmissionShare), GenesisEmissionShare);
        Share(nameof(CapacityRewardShare), CapacityRewardShare);
        Share(nameof(DeliveryRewardShare), DeliveryRewardShare);
        Share(nameof(CheckerRewardShare), CheckerRewardShare);
        var rewards = CapacityRewardShare + DeliveryRewardShare + CheckerRewardShare;
        if (rewards != 1)
            problems.Add($"the reward shares (capacity, delivery, checker) sum to {Text(rewards)}, not 1");
        Period(nameof(VestingPeriod), VestingPeriod);
        Period(nameof(UnbondingPeriod), UnbondingPeriod);
        Period(nameof(EpochLength), EpochLength);
        Period(nameof(EmissionHalfLife), EmissionHalfLife);
        if (StakeCoefficient < 0)
            problems.Add($"{nameof(StakeCoefficient)} is {Text(StakeCoefficient)}; it must not be negative");
        if (DefaultStakeK < 0)
            problems.Add($"{nameof(DefaultStakeK)} is {Text(DefaultStakeK)}; it must not be negative");
        if (StakeK is null)
        {
            problems.Add($"{nameof(StakeK)} is required");
        }
        else
        {
            foreach (var (model, k) in StakeK)
            {
                if (string.IsNullOrWhiteSpace(model))
                    problems.Add($"{nameof(StakeK)} has an empty model name");
                if (k < 0)
                    problems.Add($"{nameof(StakeK)}[{model}] is {Text(k)}; it must not be negative");
            }
        }

        if (DowntimeSlashFraction.Denominator == 0)
            problems.Add($"{nameof(DowntimeSlashFraction)} is not set");
        if (DeceitSlashFraction.Denominator == 0)
            problems.Add($"{nameof(DeceitSlashFraction)} is not set");
        if (OnDemandHoldHours <= 0)
            problems.Add($"{nameof(OnDemandHoldHours)} is {OnDemandHoldHours}; it must be positive");
        return problems;
    }

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
