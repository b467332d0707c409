using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json.Serialization;

namespace Gpunet.Core.Ledger;

/// <summary>An amount of the network's token, held as a whole number of base units.</summary>
/// <remarks>
/// One token is <see cref="BaseUnitsPerToken"/> (100,000,000) base units, i.e. 8 decimals. An amount is never negative
/// and never more than the fixed <see cref="TotalSupply"/> of 42,000,000,000 tokens (4.2 × 10^18 base units), so it fits
/// in a <see cref="long"/> and the sum of any two amounts still does. Arithmetic is checked: a result below zero or
/// above the total supply throws <see cref="OverflowException"/> instead of wrapping. In JSON an amount is the token
/// string, e.g. <c>"1.5"</c> (base units exceed the 2^53 integers a JSON number reliably carries).
/// </remarks>
[JsonConverter(typeof(TokenAmountJsonConverter))]
public readonly record struct TokenAmount : IComparable<TokenAmount>
{
    /// <summary>Base units in one token (8 decimals).</summary>
    public const long BaseUnitsPerToken = 100_000_000;

    /// <summary>Decimal places of the token.</summary>
    public const int Decimals = 8;

    /// <summary>The fixed supply in whole tokens (MISSION.md: 42 billion).</summary>
    public const long TotalSupplyTokens = 42_000_000_000;

    /// <summary>The fixed supply in base units: 4.2 × 10^18, below <see cref="long.MaxValue"/> (≈ 9.22 × 10^18).</summary>
    public const long TotalSupplyBaseUnits = TotalSupplyTokens * BaseUnitsPerToken;

    private TokenAmount(long baseUnits) => BaseUnits = baseUnits;

    /// <summary>No tokens.</summary>
    public static TokenAmount Zero => default;

    /// <summary>The whole fixed supply, created once at genesis.</summary>
    public static TokenAmount TotalSupply => new(TotalSupplyBaseUnits);

    /// <summary>The amount in base units (10^-8 token), from 0 to <see cref="TotalSupplyBaseUnits"/>.</summary>
    public long BaseUnits { get; }

    /// <summary>True for the zero amount.</summary>
    public bool IsZero => BaseUnits == 0;

    /// <summary>An amount of base units; throws <see cref="ArgumentOutOfRangeException"/> below zero or above the total supply.</summary>
    public static TokenAmount FromBaseUnits(long baseUnits)
    {
        if (!TryFromBaseUnits(baseUnits, out var amount))
            throw new ArgumentOutOfRangeException(nameof(baseUnits), baseUnits,
                $"an amount is 0 to {TotalSupplyBaseUnits} base units (the total supply)");
        return amount;
    }

    public static bool TryFromBaseUnits(long baseUnits, out TokenAmount amount)
    {
        amount = baseUnits is >= 0 and <= TotalSupplyBaseUnits ? new TokenAmount(baseUnits) : default;
        return baseUnits is >= 0 and <= TotalSupplyBaseUnits;
    }

    /// <summary>An amount of tokens, exact to 8 decimals.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, or more than the total supply.</exception>
    /// <exception cref="ArgumentException">More than 8 decimals: the amount is not a whole number of base units.</exception>
    public static TokenAmount FromTokens(decimal tokens)
    {
        if (tokens < 0 || tokens > TotalSupplyTokens)
            throw new ArgumentOutOfRangeException(nameof(tokens), tokens, $"an amount is 0 to {TotalSupplyTokens} tokens");
        var scaled = tokens * BaseUnitsPerToken;
        if (scaled != decimal.Truncate(scaled))
            throw new ArgumentException($"{tokens.ToString(CultureInfo.InvariantCulture)} has more than {Decimals} decimals", nameof(tokens));
        return new TokenAmount((long)scaled);
    }

    /// <summary>The amount in tokens, exactly.</summary>
    public decimal ToTokens() => (decimal)BaseUnits / BaseUnitsPerToken;

    /// <summary>Parses a token amount such as <c>1.5</c> or <c>42000000000</c> (invariant, no sign, at most 8 decimals).</summary>
    /// <exception cref="FormatException">The text is not such an amount; the message says why.</exception>
    public static TokenAmount Parse(string text)
    {
        if (!TryParse(text, out var amount, out var error))
            throw new FormatException(error);
        return amount;
    }

    public static bool TryParse(string? text, out TokenAmount amount) => TryParse(text, out amount, out _);

    public static bool TryParse(string? text, out TokenAmount amount, [NotNullWhen(false)] out string? error)
    {
        amount = default;
        var t = (text ?? "").AsSpan().Trim();
        if (t.IsEmpty)
        {
            error = "an amount is required, e.g. 1.5";
            return false;
        }

        var dot = t.IndexOf('.');
        var whole = dot < 0 ? t : t[..dot];
        var fraction = dot < 0 ? [] : t[(dot + 1)..];
        if ((whole.IsEmpty && fraction.IsEmpty) || !AllDigits(whole) || !AllDigits(fraction) || (dot >= 0 && fraction.IsEmpty))
        {
            error = $"'{Clip(text!)}' is not an amount: expected digits with an optional '.' and up to {Decimals} decimals, e.g. 1.5";
            return false;
        }

        if (fraction.Length > Decimals)
        {
            error = $"'{Clip(text!)}' has more than {Decimals} decimals (1 base unit is 0.00000001)";
            return false;
        }

        whole = whole.TrimStart('0');
        if (whole.Length > 11 || (whole.Length > 0 && long.Parse(whole, CultureInfo.InvariantCulture) > TotalSupplyTokens))
        {
            error = $"'{Clip(text!)}' is more than the total supply of {TotalSupplyTokens} tokens";
            return false;
        }

        long units = whole.IsEmpty ? 0 : long.Parse(whole, CultureInfo.InvariantCulture) * BaseUnitsPerToken;
        if (!fraction.IsEmpty)
        {
            long frac = long.Parse(fraction, CultureInfo.InvariantCulture);
            for (var i = fraction.Length; i < Decimals; i++)
                frac *= 10;
            units += frac;
        }

        if (units > TotalSupplyBaseUnits)
        {
            error = $"'{Clip(text!)}' is more than the total supply of {TotalSupplyTokens} tokens";
            return false;
        }

        amount = new TokenAmount(units);
        error = null;
        return true;
    }

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
                return false;
        }

        return true;
    }

    private static string Clip(string s) => s.Length <= 40 ? s : s[..37] + "...";

    /// <summary>The amount in tokens, invariant, without trailing zeros: <c>1.5</c>, <c>0.00000001</c>, <c>42000000000</c>.</summary>
    public override string ToString()
    {
        var whole = BaseUnits / BaseUnitsPerToken;
        var fraction = BaseUnits % BaseUnitsPerToken;
        var w = whole.ToString(CultureInfo.InvariantCulture);
        return fraction == 0 ? w : w + "." + fraction.ToString("D8", CultureInfo.InvariantCulture).TrimEnd('0');
    }

    public int CompareTo(TokenAmount other) => BaseUnits.CompareTo(other.BaseUnits);

    /// <summary>The sum; throws <see cref="OverflowException"/> above the total supply.</summary>
    public static TokenAmount operator +(TokenAmount left, TokenAmount right) => Add(left, right);

    /// <summary>The difference; throws <see cref="OverflowException"/> below zero.</summary>
    public static TokenAmount operator -(TokenAmount left, TokenAmount right) => Subtract(left, right);

    public static TokenAmount Add(TokenAmount left, TokenAmount right)
    {
        // Both are at most 4.2e18, so the long sum cannot wrap; only the supply bound can be passed.
        var sum = left.BaseUnits + right.BaseUnits;
        return sum <= TotalSupplyBaseUnits
            ? new TokenAmount(sum)
            : throw new OverflowException($"{left} + {right} is more than the total supply of {TotalSupplyTokens} tokens");
    }

    public static TokenAmount Subtract(TokenAmount left, TokenAmount right) =>
        left.BaseUnits >= right.BaseUnits
            ? new TokenAmount(left.BaseUnits - right.BaseUnits)
            : throw new OverflowException($"{left} - {right} is below zero");

    public static bool operator <(TokenAmount left, TokenAmount right) => left.BaseUnits < right.BaseUnits;

    public static bool operator >(TokenAmount left, TokenAmount right) => left.BaseUnits > right.BaseUnits;

    public static bool operator <=(TokenAmount left, TokenAmount right) => left.BaseUnits <= right.BaseUnits;

    public static bool operator >=(TokenAmount left, TokenAmount right) => left.BaseUnits >= right.BaseUnits;
}
