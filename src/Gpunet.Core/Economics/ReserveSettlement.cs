using Gpunet.Core.Ledger;

namespace Gpunet.Core.Economics;

/// <summary>How a reserve lease's prepaid escrow splits at a settlement: what the host can still earn from it, and what
/// goes back to the customer once the lease has ended.</summary>
/// <param name="Earnable">The most the host can still earn: its own price for the rest of the term, never more than the
/// escrow holds.</param>
/// <param name="Refund">Escrow taken above the lease's actual price (the order paid its maximum), returned once the
/// lease has ended; zero while it runs.</param>
/// <remarks>While the lease has ended, <c>Earnable + Refund</c> is exactly the escrow balance: nothing is kept twice
/// and nothing is lost.</remarks>
public readonly record struct ReserveSettlement(TokenAmount Earnable, TokenAmount Refund)
{
    /// <summary>Splits <paramref name="escrowBalance"/> for a reserve lease priced <paramref name="usdPerGpuHour"/>
    /// that has <paramref name="termSeconds"/> prepaid of which <paramref name="chargedSeconds"/> were charged before this epoch.</summary>
    public static ReserveSettlement For(
        decimal usdPerGpuHour, int gpus, int gpuMilli, long termSeconds, long chargedSeconds, TokenRate rate, TokenAmount escrowBalance, bool ended)
    {
        // The escrow was taken at the max price; the host earns at most its own price for the term.
        var owed = LeaseCharge.For(usdPerGpuHour, gpus, gpuMilli, Math.Max(0, termSeconds - chargedSeconds), rate);
        var earnable = owed < escrowBalance ? owed : escrowBalance;
        return new ReserveSettlement(earnable, ended ? escrowBalance - earnable : TokenAmount.Zero);
    }
}
