using Gpunet.Core.Sanctions;

namespace Gpunet.Core.Tests.Sanctions;

public sealed class SanctionsCountriesTests
{
    [Theory]
    [InlineData("Korea, North", "KP")]
    [InlineData("Korea, South", "KR")]
    [InlineData("Iran", "IR")]
    [InlineData("Russia", "RU")]
    [InlineData("Syria", "SY")]
    [InlineData("Burma", "MM")]
    [InlineData("Germany", "DE")]
    [InlineData("united arab emirates", "AE")]
    [InlineData("Cote d'Ivoire", "CI")]
    [InlineData("Côte d'Ivoire", "CI")]
    [InlineData("Venezuela", "VE")]
    [InlineData("de", "DE")]
    public void Resolve_OfacAndIsoSpellings_GiveTheCode(string name, string code) =>
        Assert.Equal(code, SanctionsCountries.Resolve(name));

    [Theory]
    [InlineData("Korea")]
    [InlineData("Atlantis")]
    [InlineData("")]
    [InlineData(null)]
    public void Resolve_AmbiguousOrUnknown_IsNull(string? name) => Assert.Null(SanctionsCountries.Resolve(name));
}
