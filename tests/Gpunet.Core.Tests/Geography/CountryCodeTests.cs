using Gpunet.Core.Geography;

namespace Gpunet.Core.Tests.Geography;

public sealed class CountryCodeTests
{
    [Theory]
    [InlineData("de", "DE")]
    [InlineData(" Us ", "US")]
    [InlineData("KP", "KP")]
    public void Parse_AssignedCode_StoresUpperCase(string text, string expected)
    {
        var code = CountryCode.Parse(text);

        Assert.Equal(expected, code.Value);
        Assert.Equal(expected, code.ToString());
    }

    [Fact]
    public void Parse_SameCodeDifferentCase_Equal() =>
        Assert.Equal(CountryCode.Parse("fr"), CountryCode.Parse("FR"));

    [Fact]
    public void Name_Germany_IsEnglishShortName() => Assert.Equal("Germany", CountryCode.Parse("de").Name);

    [Theory]
    [InlineData("XX", "unknown country code 'XX'")]
    [InlineData("uk", "unknown country code 'UK'")]
    [InlineData("abc", "'abc' is not a country code: expected two letters (ISO 3166-1 alpha-2)")]
    [InlineData("D1", "'D1' is not a country code: expected two letters (ISO 3166-1 alpha-2)")]
    [InlineData("D", "'D' is not a country code: expected two letters (ISO 3166-1 alpha-2)")]
    [InlineData("", "a country code is required: two letters (ISO 3166-1 alpha-2)")]
    public void Parse_NotAnAssignedCode_ThrowsNamingTheProblem(string text, string message)
    {
        var e = Assert.Throws<FormatException>(() => CountryCode.Parse(text));

        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void TryParse_EveryAssignedCode_RoundTrips() =>
        Assert.All(Countries.Codes, c =>
        {
            Assert.True(CountryCode.TryParse(c.ToLowerInvariant(), out var code));
            Assert.Equal(c, code.Value);
        });

    [Fact]
    public void TryParse_Null_FalseWithDefault()
    {
        Assert.False(CountryCode.TryParse(null, out var code));
        Assert.Equal(default, code);
    }

    [Fact]
    public void Value_Default_Throws() => Assert.Throws<InvalidOperationException>(() => default(CountryCode).Value);
}
