using Gpunet.Core.Economics;

namespace Gpunet.Core.Tests.Economics;

public sealed class StakeTableRulesTests
{
    [Fact]
    public void RequiredStake_EightH100_EightThousandTokens() =>
        Assert.Equal(Economy.Tokens(8000), new StakeTable(new EconomicsOptions()).RequiredStake(Enumerable.Repeat("H100", 8)));

    [Fact]
    public void RequiredStake_MixedModels_SumOfKPerGpuTimesCoefficient()
    {
        var table = new StakeTable(new EconomicsOptions { StakeCoefficient = 1.5m });

        // (1200 + 400 + 100 unknown) × 1.5
        Assert.Equal(Economy.Tokens(2550), table.RequiredStake(["H200", "l40s", "Tesla T4"]));
        Assert.Equal(Economy.Tokens(0), table.RequiredStake([]));
    }

    [Theory]
    [InlineData("H100", 1000)]
    [InlineData("h100", 1000)]
    [InlineData("RTX 4090", 200)]
    [InlineData("rtx 3090", 100)]
    [InlineData("A100", 600)]
    [InlineData("MI300X", 100)]
    public void K_DefaultTable_TokensPerGpuCaseInsensitive(string model, decimal k) =>
        Assert.Equal(k, new StakeTable(new EconomicsOptions()).K(model));

    [Fact]
    public void K_CaseSensitiveTableGiven_StillMatchesAnyCase()
    {
        var table = new StakeTable(new EconomicsOptions { StakeK = new Dictionary<string, decimal> { ["B200"] = 2000m }, DefaultStakeK = 50m });

        Assert.Equal(2000m, table.K("b200"));
        Assert.Equal(50m, table.K("H100"));
    }
}
