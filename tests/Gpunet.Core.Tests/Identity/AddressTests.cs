using Gpunet.Core.Identity;

namespace Gpunet.Core.Tests.Identity;

public sealed class AddressTests
{
    private const string Lower = "0x52908400098527886e0f7030069857d2e4169ee7";

    [Theory]
    [InlineData("0x52908400098527886E0F7030069857D2E4169EE7")]
    [InlineData("0x52908400098527886e0f7030069857d2e4169ee7")]
    [InlineData("0x52908400098527886E0f7030069857D2e4169Ee7")]
    [InlineData("0X52908400098527886E0F7030069857D2E4169EE7")]
    [InlineData("  0x52908400098527886E0F7030069857D2E4169EE7\t")]
    public void Parse_AnyCaseOrSurroundingSpace_StoresLowerCase(string text)
    {
        var address = Address.Parse(text);

        Assert.Equal(Lower, address.Value);
        Assert.Equal(Lower, address.ToString());
    }

    [Fact]
    public void Equality_SameAddressDifferentCase_Equal() =>
        Assert.Equal(Address.Parse(Lower), Address.Parse(Lower.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal)));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void TryParse_Missing_FalseAndSaysRequired(string? text)
    {
        Assert.False(Address.TryParse(text, out var address, out var error));
        Assert.Equal(default, address);
        Assert.Contains("required", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0x52908400098527886e0f7030069857d2e4169ee")] // 39 digits
    [InlineData("0x52908400098527886e0f7030069857d2e4169ee7a")] // 41 digits
    [InlineData("0x")]
    [InlineData("52908400098527886e0f7030069857d2e4169ee7")] // no 0x
    [InlineData("ab52908400098527886e0f7030069857d2e4169ee7")] // right length, no 0x
    public void TryParse_WrongLengthOrNoPrefix_FalseAndSaysExpectedForm(string text)
    {
        Assert.False(Address.TryParse(text, out _, out var error));
        Assert.Contains("expected 0x followed by 40 hex digits", error, StringComparison.Ordinal);
        Assert.Contains(text, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0x52908400098527886e0f7030069857d2e4169eeg", 'g')]
    [InlineData("0x5290840009852788 e0f7030069857d2e4169ee7", ' ')]
    [InlineData("0x52908400098527886e0f7030069857d2e4169e-7", '-')]
    [InlineData("0x52908400098527886e0f7030069857d2e4169eé7", 'é')]
    public void TryParse_NonHexDigit_FalseAndNamesTheCharacter(string text, char bad)
    {
        Assert.False(Address.TryParse(text, out _, out var error));
        Assert.Contains($"'{bad}' is not a hex digit", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Invalid_ThrowsFormatExceptionWithTheSameMessage()
    {
        const string text = "0x1234";
        Assert.False(Address.TryParse(text, out _, out var error));

        var ex = Assert.Throws<FormatException>(() => Address.Parse(text));

        Assert.Equal(error, ex.Message);
    }

    [Fact]
    public void Parse_VeryLongInput_MessageIsClipped()
    {
        var text = "0x" + new string('a', 500);

        var ex = Assert.Throws<FormatException>(() => Address.Parse(text));

        Assert.Contains("...", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Message.Length < 150, ex.Message);
    }

    [Fact]
    public void TryParse_TwoArgumentOverload_MatchesThreeArgument()
    {
        Assert.True(Address.TryParse(Lower.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal), out var address));
        Assert.Equal(Lower, address.Value);
        Assert.False(Address.TryParse("nope", out _));
    }

    [Fact]
    public void Value_DefaultAddress_Throws()
    {
        var address = default(Address);

        Assert.Throws<InvalidOperationException>(() => address.Value);
        Assert.Throws<InvalidOperationException>(() => address.ToString());
    }
}
