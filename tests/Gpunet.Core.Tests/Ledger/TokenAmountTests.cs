using System.Text.Json;
using Gpunet.Core.Ledger;

namespace Gpunet.Core.Tests.Ledger;

public sealed class TokenAmountTests
{
    [Fact]
    public void Constants_TotalSupply_IsFortyTwoBillionTokensOfEightDecimalsAndFitsInALong()
    {
        Assert.Equal(100_000_000, TokenAmount.BaseUnitsPerToken);
        Assert.Equal(4_200_000_000_000_000_000, TokenAmount.TotalSupply.BaseUnits);
        Assert.Equal("42000000000", TokenAmount.TotalSupply.ToString());
        Assert.True((long.MaxValue - TokenAmount.TotalSupplyBaseUnits) >= TokenAmount.TotalSupplyBaseUnits);
    }

    [Theory]
    [InlineData("1.5", 150_000_000)]
    [InlineData("0", 0)]
    [InlineData("0.00000001", 1)]
    [InlineData(".5", 50_000_000)]
    [InlineData("007", 700_000_000)]
    [InlineData(" 2.10 ", 210_000_000)]
    [InlineData("42000000000", 4_200_000_000_000_000_000)]
    [InlineData("41999999999.99999999", 4_199_999_999_999_999_999)]
    public void Parse_ValidText_GivesBaseUnits(string text, long baseUnits) =>
        Assert.Equal(baseUnits, TokenAmount.Parse(text).BaseUnits);

    [Theory]
    [InlineData("", "required")]
    [InlineData("-1", "not an amount")]
    [InlineData("+1", "not an amount")]
    [InlineData("1e5", "not an amount")]
    [InlineData("1,5", "not an amount")]
    [InlineData("1.", "not an amount")]
    [InlineData(".", "not an amount")]
    [InlineData("0.000000001", "more than 8 decimals")]
    [InlineData("42000000000.00000001", "total supply")]
    [InlineData("99999999999999999999", "total supply")]
    public void Parse_InvalidText_SaysWhy(string text, string why)
    {
        var e = Assert.Throws<FormatException>(() => TokenAmount.Parse(text));
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(150_000_000, "1.5")]
    [InlineData(0, "0")]
    [InlineData(1, "0.00000001")]
    [InlineData(100_000_000, "1")]
    [InlineData(123_456_789_012, "1234.56789012")]
    public void ToString_BaseUnits_TokensWithoutTrailingZeros(long baseUnits, string text)
    {
        var amount = TokenAmount.FromBaseUnits(baseUnits);
        Assert.Equal(text, amount.ToString());
        Assert.Equal(amount, TokenAmount.Parse(text));
    }

    [Fact]
    public void FromTokens_ExactToEightDecimals_ElseRefused()
    {
        Assert.Equal(150_000_000, TokenAmount.FromTokens(1.5m).BaseUnits);
        Assert.Equal(1, TokenAmount.FromTokens(0.00000001m).BaseUnits);
        Assert.Equal(TokenAmount.TotalSupply, TokenAmount.FromTokens(42_000_000_000m));
        Assert.Equal(1.5m, TokenAmount.FromTokens(1.5m).ToTokens());
        Assert.Throws<ArgumentException>(() => TokenAmount.FromTokens(0.000000001m));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenAmount.FromTokens(-1m));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenAmount.FromTokens(42_000_000_000.00000001m));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenAmount.FromTokens(decimal.MaxValue));
    }

    [Fact]
    public void FromBaseUnits_NegativeOrAboveSupply_Refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenAmount.FromBaseUnits(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenAmount.FromBaseUnits(TokenAmount.TotalSupplyBaseUnits + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenAmount.FromBaseUnits(long.MaxValue));
        Assert.False(TokenAmount.TryFromBaseUnits(long.MinValue, out _));
        Assert.True(TokenAmount.TryFromBaseUnits(TokenAmount.TotalSupplyBaseUnits, out var all));
        Assert.Equal(TokenAmount.TotalSupply, all);
    }

    [Fact]
    public void Arithmetic_BelowZeroOrAboveSupply_ThrowsInsteadOfWrapping()
    {
        var one = TokenAmount.FromTokens(1);
        var two = TokenAmount.FromTokens(2);
        Assert.Equal(TokenAmount.FromTokens(3), one + two);
        Assert.Equal(one, two - one);
        Assert.Equal(TokenAmount.Zero, one - one);
        Assert.Throws<OverflowException>(() => one - two);
        Assert.Throws<OverflowException>(() => TokenAmount.TotalSupply + TokenAmount.FromBaseUnits(1));
        Assert.Throws<OverflowException>(() => TokenAmount.TotalSupply + TokenAmount.TotalSupply);
        Assert.True(one < two && two > one && one <= two && two >= one && !(two <= one));
        Assert.True(one.CompareTo(two) < 0);
    }

    [Fact]
    public void Json_TokenString_RoundTrips()
    {
        var json = JsonSerializer.Serialize(TokenAmount.FromTokens(1.5m));
        Assert.Equal("\"1.5\"", json);
        Assert.Equal(TokenAmount.FromTokens(1.5m), JsonSerializer.Deserialize<TokenAmount>(json));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TokenAmount>("\"-1\""));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TokenAmount>("15"));
    }
}
