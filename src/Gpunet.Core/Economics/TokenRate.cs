using System.Globalization;
using Gpunet.Core.Ledger;

namespace Gpunet.Core.Economics;

/// <summary>The exchange rate between the US dollar, in which prices are set, and the token, in which they are settled.</summary>
/// <remarks>MISSION.md: the rate is locked when an order is placed; the coordinator takes it from an <see cref="IPriceFeed"/>.</remarks>
public readonly record struct TokenRate
{
    /// <summary>A rate of <paramref name="usdPerToken"/> US dollars per token; it must be positive.</summary>
    public TokenRate(decimal usdPerToken)
    {
        if (usdPerToken <= 0)
            throw new ArgumentOutOfRangeException(nameof(usdPerToken), usdPerToken, "a token rate is a positive number of US dollars per token");
        UsdPerToken = usdPerToken;
    }

    /// <summary>US dollars per whole token.</summary>
    public decimal UsdPerToken { get; }

    /// <summary>The devnet rate: 0.10 USD per token.</summary>
    public static TokenRate Default => new(0.10m);

    /// <summary>The tokens that <paramref name="usd"/> US dollars buy, floored to whole base units; zero for zero or less.</summary>
    /// <exception cref="OverflowException">More than the total supply.</exception>
    public TokenAmount FromUsd(decimal usd) =>
        usd <= 0 ? TokenAmount.Zero : DecimalMath.FloorToAmount(usd * TokenAmount.BaseUnitsPerToken, Checked());

    // default(TokenRate) was never validated; refuse it rather than divide by zero.
    internal decimal Checked() =>
        UsdPerToken > 0 ? UsdPerToken : throw new InvalidOperationException("default(TokenRate) has no rate");

    public override string ToString() => UsdPerToken.ToString(CultureInfo.InvariantCulture) + " USD/token";
}
