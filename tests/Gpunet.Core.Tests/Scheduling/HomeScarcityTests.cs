using Gpunet.Core.Scheduling;

namespace Gpunet.Core.Tests.Scheduling;

public sealed class HomeScarcityTests
{
    [Fact]
    public void Cost_PlentyOfHomes_IsNothing() =>
        Assert.Equal(0, HomeScarcity.Cost(weight: 0.001, gpuMilli: 8_000, homes: 40, tasksToCome: 2_000));

    [Fact]
    public void Cost_FewerHomesLeft_CostsMoreUpToTheWholeDemand()
    {
        // Two tasks of the kind expected: the third-last home is worth less than the last one.
        var three = HomeScarcity.Cost(0.001, 8_000, 3, 2_000);
        var one = HomeScarcity.Cost(0.001, 8_000, 1, 2_000);

        Assert.True(three > 0 && three < one);
        Assert.Equal(8_000 * (1 - Math.Exp(-2)), one, 6);
    }

    [Fact]
    public void AtLeast_Poisson_MatchesClosedForm()
    {
        // P(X ≥ 2) for mean 1.5: 1 − e^-1.5 (1 + 1.5).
        Assert.Equal(1 - (Math.Exp(-1.5) * 2.5), HomeScarcity.AtLeast(2, 1.5), 12);
        Assert.Equal(1, HomeScarcity.AtLeast(0, 0.1));
    }
}
