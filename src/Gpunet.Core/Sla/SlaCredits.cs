using Gpunet.Core.Ledger;

namespace Gpunet.Core.Sla;

/// <summary>What a tier's credit schedule pays back when its promise is missed.</summary>
public static class SlaCredits
{
    /// <summary>The credit in percent of the period's fees: the largest step whose threshold
    /// <paramref name="availability"/> is below, and at least the tier's replacement credit when
    /// <paramref name="replacementBroken"/>; 0 when the promise held.</summary>
    public static decimal PercentFor(SlaTier tier, double availability, bool replacementBroken)
    {
        ArgumentNullException.ThrowIfNull(tier);
        var percent = 0m;
        foreach (var step in tier.CreditSteps)
        {
            if ((decimal)availability < step.Below && step.Percent > percent)
                percent = step.Percent;
        }

        return replacementBroken ? Math.Max(percent, tier.ReplacementCreditPercent) : percent;
    }

    /// <summary><paramref name="percent"/> of <paramref name="fees"/>, rounded down to a base unit; never more than the fees.</summary>
    public static TokenAmount Due(TokenAmount fees, decimal percent) =>
        TokenAmount.FromBaseUnits((long)decimal.Floor(fees.BaseUnits * Math.Clamp(percent, 0m, 100m) / 100m));

    /// <summary>What is left to pay of a month's credit: due to date less what was credited before, never negative (a
    /// credit paid is never taken back when availability recovers).</summary>
    public static TokenAmount Outstanding(TokenAmount dueToDate, TokenAmount creditedBefore) =>
        dueToDate > creditedBefore ? dueToDate - creditedBefore : TokenAmount.Zero;
}
