using Gpunet.Core.Ledger;

namespace Gpunet.Core.Economics;

/// <summary>Splits an amount in proportion to weights, exactly: the parts always sum to the whole.</summary>
public static class ProRata
{
    /// <summary>
    /// Part i = floor(total × w_i / Σw), then the base units left over go one each to the largest remainders, ties to the
    /// lower index (callers order the weights by a stable key, so ties are deterministic).
    /// </summary>
    /// <returns>One part per weight; all zero when the weights sum to zero (the caller keeps the money).</returns>
    /// <exception cref="ArgumentOutOfRangeException">A negative weight.</exception>
    public static TokenAmount[] Split(TokenAmount total, IReadOnlyList<long> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var parts = new TokenAmount[weights.Count];
        UInt128 sum = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            if (weights[i] < 0)
                throw new ArgumentOutOfRangeException(nameof(weights), weights[i], $"weight {i} is negative");
            sum += (ulong)weights[i];
        }

        if (sum == 0 || total.IsZero)
            return parts;

        // total × w ≤ 4.2e18 × 9.2e18 < 2^128, so the products are exact.
        var remainders = new List<(UInt128 Remainder, int Index)>();
        var left = total.BaseUnits;
        for (var i = 0; i < weights.Count; i++)
        {
            var product = (UInt128)(ulong)total.BaseUnits * (ulong)weights[i];
            var (quotient, remainder) = UInt128.DivRem(product, sum);
            var part = (long)quotient;
            parts[i] = TokenAmount.FromBaseUnits(part);
            left -= part;
            if (remainder != 0)
                remainders.Add((remainder, i));
        }

        // Σ remainders = left × Σw and each remainder < Σw, so more than `left` weights have a remainder: the `left`
        // largest get one base unit each, and a zero weight never gets anything.
        if (left > 0)
        {
            remainders.Sort(static (a, b) => a.Remainder != b.Remainder ? b.Remainder.CompareTo(a.Remainder) : a.Index.CompareTo(b.Index));
            for (var k = 0; k < left; k++)
            {
                var i = remainders[k].Index;
                parts[i] += TokenAmount.FromBaseUnits(1);
            }
        }

        return parts;
    }
}
