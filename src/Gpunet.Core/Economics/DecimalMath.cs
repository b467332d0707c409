using Gpunet.Core.Ledger;

namespace Gpunet.Core.Economics;

/// <summary>Exact floor division and the few transcendental values the economics needs, in <see cref="decimal"/> only.</summary>
/// <remarks>Decimal arithmetic is the same on every machine, so the plans that use it are reproducible bit for bit.</remarks>
internal static class DecimalMath
{
    /// <summary>ln 2 to 28 decimals.</summary>
    private const decimal Ln2 = 0.6931471805599453094172321215m;

    /// <summary>floor(<paramref name="numerator"/> / <paramref name="denominator"/>) as an amount of base units; both positive.</summary>
    /// <remarks>The decimal quotient is rounded to 28 digits, so it is corrected by multiplying back: the result q is the
    /// largest integer with q × denominator ≤ numerator.</remarks>
    public static TokenAmount FloorToAmount(decimal numerator, decimal denominator)
    {
        var q = decimal.Floor(numerator / denominator);
        while (q > 0 && q * denominator > numerator)
            q--;
        while ((q + 1) * denominator <= numerator)
            q++;
        return q <= TokenAmount.TotalSupplyBaseUnits
            ? TokenAmount.FromBaseUnits((long)q)
            : throw new OverflowException($"{q} base units is more than the total supply");
    }

    /// <summary>0.5^(<paramref name="numerator"/>/<paramref name="denominator"/>), for a non-negative exponent.</summary>
    /// <remarks>Whole halvings are exact powers of two; the fractional rest is exp(−ln 2 × r) by its Taylor series.</remarks>
    public static decimal HalfPower(Int128 numerator, Int128 denominator)
    {
        var whole = numerator / denominator;
        if (whole > 100)
            return 0m; // 2^-100 ≈ 8e-31 is below decimal's smallest step (1e-28)
        var rest = (decimal)(long)(numerator % denominator) / (decimal)(long)denominator;
        var result = ExpNegative(Ln2 * rest);
        for (var i = 0; i < (int)whole; i++)
            result /= 2;
        return result;
    }

    // e^-y for 0 ≤ y < 1 by the alternating Taylor series; the terms fall below decimal's precision within ~30 steps.
    private static decimal ExpNegative(decimal y)
    {
        decimal sum = 1, term = 1;
        for (var n = 1; n < 60 && term != 0; n++)
        {
            term = -term * y / n;
            sum += term;
        }

        return sum;
    }
}
