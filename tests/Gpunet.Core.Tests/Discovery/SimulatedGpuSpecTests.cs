using Gpunet.Core.Discovery;

namespace Gpunet.Core.Tests.Discovery;

public class SimulatedGpuSpecTests
{
    [Theory]
    [InlineData("H100-SXM5-80GB:8", "H100-SXM5-80GB", 8)]
    [InlineData("h100:8", "H100-SXM5-80GB", 8)]
    [InlineData(" A100-PCIe-40GB : 2 ", "A100-PCIe-40GB", 2)]
    [InlineData("L4", "L4-24GB", 1)]
    [InlineData("RTX-4090:16", "RTX-4090-24GB", 16)]
    public void Parse_ModelOrFamilyAndCount_GivesSpec(string text, string model, int count)
    {
        var spec = SimulatedGpuSpec.Parse(text);

        Assert.Equal(model, spec.Model.Name);
        Assert.Equal(count, spec.Count);
    }

    [Fact]
    public void Parse_UnknownModel_NamesItAndListsKnownOnes()
    {
        var error = Assert.Throws<FormatException>(() => SimulatedGpuSpec.Parse("MI300X:8"));

        Assert.Contains("'MI300X'", error.Message, StringComparison.Ordinal);
        Assert.Contains("H100-SXM5-80GB", error.Message, StringComparison.Ordinal);
        Assert.Contains("A100", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("H100:0")]
    [InlineData("H100:17")]
    [InlineData("H100:-1")]
    [InlineData("H100:eight")]
    [InlineData("H100:")]
    [InlineData("H100:2.5")]
    public void Parse_BadCount_SaysCountMustBeOneToSixteen(string text)
    {
        var error = Assert.Throws<FormatException>(() => SimulatedGpuSpec.Parse(text));

        Assert.Contains("count", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("1 to 16", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Parse_Empty_Throws(string text)
    {
        Assert.Throws<FormatException>(() => SimulatedGpuSpec.Parse(text));
    }

    [Fact]
    public void ParseList_CommaSeparated_GivesEachSpec()
    {
        var specs = SimulatedGpuSpec.ParseList("H100:8, L4:2,");

        Assert.Equal(["H100-SXM5-80GB:8", "L4-24GB:2"], specs.Select(s => s.ToString()));
    }
}
