namespace Gpunet.Core.Economics;

/// <summary>One epoch's metered time as billing counts it: the whole seconds charged, and the milliseconds short of a
/// second carried into the next epoch's charge.</summary>
/// <param name="Seconds">Whole seconds charged this epoch (priced by <see cref="LeaseCharge.For"/>).</param>
/// <param name="CarriedMs">Milliseconds left over, under a second: added to the next epoch's metered time.</param>
/// <remarks>
/// Billing is per second (MISSION.md) but usage is metered in milliseconds and split across epochs by when each report
/// arrived. Carrying the remainder makes the seconds charged over a lease's life floor(total metered ms / 1000) however
/// the reports fall into epochs; dropping it lost up to a second per epoch. What is still carried when the lease's
/// billing closes (under a second) is not charged: rounding is in the customer's favour, as <see cref="LeaseCharge"/>
/// floors its amounts.
/// </remarks>
public readonly record struct MeteredSeconds(long Seconds, long CarriedMs)
{
    /// <summary>The whole seconds of <paramref name="billedMs"/> (this epoch's billed usage) plus
    /// <paramref name="carriedMs"/> (what the last epoch carried), and the remainder to carry on.</summary>
    public static MeteredSeconds Of(long billedMs, long carriedMs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(billedMs);
        ArgumentOutOfRangeException.ThrowIfNegative(carriedMs);
        var total = checked(billedMs + carriedMs);
        return new MeteredSeconds(total / 1000, total % 1000);
    }
}
