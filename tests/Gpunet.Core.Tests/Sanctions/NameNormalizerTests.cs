using Gpunet.Core.Sanctions;

namespace Gpunet.Core.Tests.Sanctions;

public sealed class NameNormalizerTests
{
    [Theory]
    [InlineData("KIM, Jong-Ún", "kim jong un")]
    [InlineData("  Kemal   Barış  ÖZTÜRK ", "kemal baris ozturk")]
    [InlineData("Łódź Đorđe Søren Straße Nguyễn", "lodz dorde soren strasse nguyen")]
    [InlineData("O'Brien", "obrien")]
    [InlineData("Jose\u0301 Mari\u0301a", "jose maria")]
    [InlineData("ACME CO., LTD. (\"NORTH\")", "acme co ltd north")]
    public void Normalize_Names_FoldToComparableForm(string name, string expected) =>
        Assert.Equal(expected, NameNormalizer.Normalize(name));
}
