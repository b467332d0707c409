using Gpunet.Core.Ledger;

namespace Gpunet.Core.Economics;

/// <summary>What metered lease time costs in tokens.</summary>
/// <remarks>
/// Billing is per second of metered time (production agents report every minute); prices are in USD per GPU-hour and
/// settled at the rate locked when the order was placed (MISSION.md). Downtime is not metered, so it is not charged.
/// </remarks>
public static class LeaseCharge
{
    /// <summary>
    /// floor(<paramref name="usdPerGpuHour"/> × <paramref name="gpus"/> × <paramref name="gpuMilli"/>/1000 ×
    /// <paramref name="seconds"/>/3600 / rate), in base units.
    /// </summary>
    /// <param name="usdPerGpuHour">The price of one whole GPU for an hour, in US dollars.</param>
    /// <param name="gpus">GPUs leased.</param>
    /// <param name="gpuMilli">The share of each GPU, in thousandths (1000 = a whole GPU).</param>
    /// <param name="seconds">Metered seconds.</param>
    /// <param name="lockedRate">The rate locked into the order.</param>
    /// <remarks>Computed exactly in decimal and floored once to a whole base unit: any rounding is in the customer's favour.</remarks>
    public static TokenAmount For(decimal usdPerGpuHour, int gpus, int gpuMilli, long seconds, TokenRate lockedRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(usdPerGpuHour);
        ArgumentOutOfRangeException.ThrowIfNegative(gpus);
        ArgumentOutOfRangeException.ThrowIfNegative(seconds);
        if (gpuMilli is < 0 or > 1000)
            throw new ArgumentOutOfRangeException(nameof(gpuMilli), gpuMilli, "gpu_milli is 0 to 1000 (1000 = a whole GPU)");
        var rate = lockedRate.Checked();
        var numerator = usdPerGpuHour * gpus * gpuMilli * seconds * TokenAmount.BaseUnitsPerToken;
        return numerator == 0 ? TokenAmount.Zero : DecimalMath.FloorToAmount(numerator, 1000m * 3600m * rate);
    }
}
