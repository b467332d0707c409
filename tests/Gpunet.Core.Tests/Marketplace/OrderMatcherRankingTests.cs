using Gpunet.Core.Marketplace;
using static Gpunet.Core.Tests.Marketplace.Matchers;

namespace Gpunet.Core.Tests.Marketplace;

/// <summary>Ranking picks the class of host (cheapest, nearest, best balanced); FGD picks which host within it.</summary>
public sealed class OrderMatcherRankingTests
{
    [Fact]
    public void Match_LowestFee_TakesTheCheaperHostWhereFgdAloneWouldNot()
    {
        // FGD alone packs a one-GPU order onto the partly used machine; it is the dearer one.
        var matcher = With((Machine(), Offer("cheap", price: 2m)), (Machine(), Offer("dear", price: 3m)));
        Use(matcher, 1, 4);
        Assert.Equal(1, Fgd().Choose(matcher.Cluster, OrderMatcher.RequestFor(OneH100))!.Node);

        Assert.Equal([0], Nodes(matcher.Match(OneH100 with { Ranking = Ranking.LowestFee })));
    }

    [Fact]
    public void Match_LowestFeeWithinFivePercent_FgdKeepsTheWholeMachineFree()
    {
        // 2.00 and 2.10 are one band: the order goes onto the partly used machine, the free 8-GPU one stays whole.
        // 2.11 is outside it, however well packed.
        var matcher = With((Machine(), Offer("whole", price: 2.00m)), (Machine(), Offer("over", price: 2.11m)), (Machine(), Offer("partly", price: 2.10m)));
        Use(matcher, 1, 4);
        Use(matcher, 2, 4);

        Assert.Equal([2], Nodes(matcher.Match(OneH100 with { Ranking = Ranking.LowestFee })));
        Assert.Equal(8, matcher.Cluster.GpuFreeMilli(0).ToArray().Count(f => f == 1000));
    }

    [Fact]
    public void Match_BestExperience_TakesTheCloserHostWhereFgdAloneWouldNot()
    {
        var matcher = With((Machine(), Offer("frankfurt", at: Frankfurt)), (Machine(), Offer("virginia", "US", at: Ashburn)));
        Use(matcher, 1, 4);
        Assert.Equal(1, Fgd().Choose(matcher.Cluster, OrderMatcher.RequestFor(OneH100))!.Node);

        Assert.Equal([0], Nodes(matcher.Match(OneH100 with { Ranking = Ranking.BestExperience, LatencyFrom = Berlin })));
    }

    [Fact]
    public void Match_BestExperience_NearnessBeforeReputation()
    {
        // Virginia is far more than 10 ms further from Berlin than Frankfurt; its better reputation does not count.
        var matcher = With((Machine(), Offer("virginia", "US", at: Ashburn)), (Machine(), Offer("frankfurt", at: Frankfurt, reputation: 0.8)));

        Assert.Equal([1], Nodes(matcher.Match(OneH100 with { Ranking = Ranking.BestExperience, LatencyFrom = Berlin })));
    }

    [Fact]
    public void Match_BestExperienceWithinTenMilliseconds_TheBetterReputationThenFgd()
    {
        // Frankfurt and Paris are within 10 ms of each other from Berlin; the low reputation host is left out, and
        // among the two good ones FGD takes the partly used one.
        var matcher = With(
            (Machine(), Offer("frankfurt-whole", at: Frankfurt)),
            (Machine(), Offer("frankfurt-poor", at: Frankfurt, reputation: 0.5)),
            (Machine(), Offer("paris-partly", "FR", at: Paris, reputation: 0.97)));
        Use(matcher, 1, 3);
        Use(matcher, 2, 3);

        Assert.Equal([2], Nodes(matcher.Match(OneH100 with { Ranking = Ranking.BestExperience, LatencyFrom = Berlin })));
    }

    [Fact]
    public void Match_BestExperienceWithoutAPoint_TheBestReputation()
    {
        var matcher = With((Machine(), Offer("poor", reputation: 0.6)), (Machine(), Offer("good", reputation: 0.95)));
        Use(matcher, 0, 4);

        Assert.Equal([1], Nodes(matcher.Match(OneH100 with { Ranking = Ranking.BestExperience })));
    }

    [Fact]
    public void Match_BalancedWithAPoint_ASlightlyDearerNearHostOverACheapFarOne()
    {
        // Far: 0.5 × 1 + 0.5 × (≈ 100 ms / ≈ 9 ms) ≫ near: 0.5 × 1.2 + 0.5 × 1.
        var matcher = With((Machine(), Offer("far", "US", price: 1.00m, at: Ashburn)), (Machine(), Offer("near", price: 1.20m, at: Frankfurt)));
        Use(matcher, 0, 4);

        Assert.Equal([1], Nodes(matcher.Match(OneH100 with { LatencyFrom = Berlin })));
    }

    [Fact]
    public void Match_BalancedWithoutAPoint_PriceAndReputation()
    {
        // cheap: 0.5 × 1 + 0.5 × 1 = 1.0; dear: 0.5 × 1.5 + 0.5 × 1 = 1.25, outside 1.10; shaky: 0.5 × 1 + 0.5 × 1.4 = 1.2.
        var matcher = With((Machine(), Offer("cheap", price: 1m)), (Machine(), Offer("dear", price: 1.5m)), (Machine(), Offer("shaky", price: 1m, reputation: 0.6)));
        Use(matcher, 1, 4);
        Use(matcher, 2, 4);

        Assert.Equal([0], Nodes(matcher.Match(OneH100)));
    }

    [Fact]
    public void Match_BalancedBandOfEqualHosts_FgdKeepsTheWhole8GpuMachineForLater()
    {
        var matcher = With((Machine(), Offer("whole")), (Machine(), Offer("partly")));
        Use(matcher, 1, 2);

        Assert.Equal([1], Nodes(matcher.Match(OneH100)));
        Assert.Equal([0], Nodes(matcher.Match(OneH100 with { GpusPerHost = 8 })));
    }
}
