using Gpunet.Core.Economics;
using Gpunet.Core.Ledger;

namespace Gpunet.Core.Tests.Economics;

public sealed class StakeTableTests
{
    private static readonly StakeTable Defaults = new(new EconomicsOptions());

    [Theory]
    [InlineData("H100", 1000)]
    [InlineData("H100-SXM5-80GB", 1000)] // what a host reports: the canonical model, not the family
    [InlineData("h100-pcie-80gb", 1000)]
    [InlineData("H200-SXM-141GB", 1200)]
    [InlineData("A100-SXM4-40GB", 600)]
    [InlineData("L40S-48GB", 400)]
    [InlineData("RTX-4090-24GB", 200)] // the table says "RTX 4090", the catalog's family is RTX-4090
    [InlineData("RTX 4090", 200)]
    [InlineData("L40-48GB", 100)] // L40 is not L40S: no row, the default
    [InlineData("T4-16GB", 100)]
    [InlineData("no-such-gpu", 100)]
    public void K_CanonicalModelOrFamily_TakesTheFamilysRow(string model, int expected) =>
        Assert.Equal(expected, Defaults.K(model));

    [Fact]
    public void RequiredStake_TwoH100sAsAHostReportsThem_IsTwoThousandTokens() =>
        Assert.Equal(TokenAmount.FromTokens(2000), Defaults.RequiredStake(["H100-SXM5-80GB", "H100-SXM5-80GB"]));

    [Fact]
    public void RequiredStakeOf_GpusCountedPerModel_SameAsOneEntryPerGpu()
    {
        // Settlement reads GPUs counted per host and model; the stake they require is what one entry per GPU gives.
        var table = new StakeTable(new EconomicsOptions { StakeCoefficient = 1.37m });
        string[] each = ["H100-SXM5-80GB", "H100-SXM5-80GB", "H100-SXM5-80GB", "A100-SXM4-40GB", "T4-16GB"];

        Assert.Equal(table.RequiredStake(each), table.RequiredStakeOf([("H100-SXM5-80GB", 3), ("A100-SXM4-40GB", 1), ("T4-16GB", 1)]));
        Assert.Equal(each.Sum(table.K), table.KOf([("H100-SXM5-80GB", 3), ("A100-SXM4-40GB", 1), ("T4-16GB", 1)]));
        Assert.Equal(TokenAmount.Zero, table.RequiredStakeOf([]));
    }

    [Fact]
    public void K_ARowForTheModelItself_WinsOverItsFamily()
    {
        var table = new StakeTable(new EconomicsOptions
        {
            StakeK = new Dictionary<string, decimal> { ["H100"] = 1000m, ["H100-NVL-94GB"] = 1100m },
            StakeCoefficient = 0.5m,
        });
        Assert.Equal(1100m, table.K("H100-NVL-94GB"));
        Assert.Equal(1000m, table.K("H100-PCIe-80GB"));
        Assert.Equal(TokenAmount.FromTokens(1050), table.RequiredStake(["H100-NVL-94GB", "H100-SXM5-80GB"]));
    }
}
