using Gpunet.Core.Ledger;

namespace Gpunet.Core.Economics;

/// <summary>An exact fraction from 0 to 1, such as the 1/3 of a downtime slash, applied to amounts with floor rounding.</summary>
/// <remarks>Held as two integers so that 1/3 of a stake is exactly floor(stake / 3) base units, which a decimal 0.333… is not.</remarks>
public readonly record struct Fraction
{
    /// <summary>A fraction <paramref name="numerator"/>/<paramref name="denominator"/>; 0 ≤ numerator ≤ denominator, denominator > 0.</summary>
    public Fraction(long numerator, long denominator)
    {
        if (denominator <= 0 || numerator < 0 || numerator > denominator)
            throw new ArgumentOutOfRangeException(nameof(numerator), $"{numerator}/{denominator} is not a fraction from 0 to 1");
        Numerator = numerator;
        Denominator = denominator;
    }

    /// <summary>The part taken, e.g. 1 of a 1/3 downtime slash.</summary>
    public long Numerator { get; }

    /// <summary>The parts in the whole, e.g. 3 of a 1/3 downtime slash; zero only for <c>default(Fraction)</c>, which takes nothing.</summary>
    public long Denominator { get; }

    /// <summary>The whole: 1/1.</summary>
    public static Fraction One => new(1, 1);

    /// <summary>floor(<paramref name="amount"/> × numerator / denominator), in base units.</summary>
    public TokenAmount Of(TokenAmount amount) =>
        Denominator == 0
            ? TokenAmount.Zero
            : TokenAmount.FromBaseUnits((long)((Int128)amount.BaseUnits * Numerator / Denominator));

    public override string ToString() => $"{Numerator}/{Denominator}";
}
