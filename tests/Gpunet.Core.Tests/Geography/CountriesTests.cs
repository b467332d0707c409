using Gpunet.Core.Geography;

namespace Gpunet.Core.Tests.Geography;

public sealed class CountriesTests
{
    [Fact]
    public void Codes_OfficialList_Has249UpperCaseSortedCodes()
    {
        Assert.Equal(249, Countries.Codes.Count);
        Assert.All(Countries.Codes, c => Assert.Matches("^[A-Z]{2}$", c));
        Assert.Equal(Countries.Codes.Order(StringComparer.Ordinal), Countries.Codes);
        Assert.Equal(249, Countries.Codes.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("US", "United States")]
    [InlineData("DE", "Germany")]
    [InlineData("CN", "China")]
    [InlineData("KP", "Korea, Democratic People's Republic of")]
    [InlineData("IR", "Iran, Islamic Republic of")]
    [InlineData("SY", "Syrian Arab Republic")]
    [InlineData("CU", "Cuba")]
    [InlineData("UA", "Ukraine")]
    [InlineData("TW", "Taiwan, Province of China")]
    [InlineData("AX", "Åland Islands")]
    [InlineData("MK", "North Macedonia")]
    [InlineData("SZ", "Eswatini")]
    [InlineData("SS", "South Sudan")]
    [InlineData("SX", "Sint Maarten (Dutch part)")]
    [InlineData("GB", "United Kingdom")]
    public void Name_AssignedCode_ReturnsEnglishShortName(string code, string name) =>
        Assert.Equal(name, Countries.Name(code));

    [Theory]
    [InlineData("de")]
    [InlineData("De")]
    [InlineData("gb")]
    public void IsKnown_AnyCase_True(string code) => Assert.True(Countries.IsKnown(code));

    [Theory]
    [InlineData("UK")] // exceptionally reserved, not assigned: the United Kingdom is GB
    [InlineData("EU")] // exceptionally reserved
    [InlineData("XK")] // user-assigned (Kosovo)
    [InlineData("AN")] // Netherlands Antilles, withdrawn 2010
    [InlineData("YU")] // Yugoslavia, withdrawn
    [InlineData("ZZ")]
    [InlineData("DEU")]
    [InlineData("")]
    [InlineData(null)]
    public void IsKnown_NotAssigned_FalseAndNoName(string? code)
    {
        Assert.False(Countries.IsKnown(code));
        Assert.Null(Countries.Name(code));
    }
}
