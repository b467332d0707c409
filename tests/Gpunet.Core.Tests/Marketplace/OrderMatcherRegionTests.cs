using Gpunet.Core.Marketplace;
using static Gpunet.Core.Tests.Marketplace.Matchers;

namespace Gpunet.Core.Tests.Marketplace;

/// <summary>Orders naming regions (a host's declared region) allowed or denied.</summary>
public sealed class OrderMatcherRegionTests
{
    private static OrderMatcher TwoRegions() => With(
        (Machine(), Offer("host-hesse") with { Region = "Hesse" }),
        (Machine(), Offer("host-bavaria") with { Region = "Bavaria", PriceUsdPerGpuHour = 1m }));

    [Fact]
    public void AnAllowedRegion_IsMatchedWithoutRegardToCase()
    {
        var matcher = TwoRegions();
        Assert.Equal([0], Nodes(matcher.Match(OneH100 with { AllowedRegions = ["hesse"] })));
    }

    [Fact]
    public void ADeniedRegion_IsAvoidedEvenWhenCheaper()
    {
        var matcher = TwoRegions();
        Assert.Equal([0], Nodes(matcher.Match(OneH100 with { DeniedRegions = ["Bavaria"], Ranking = Ranking.LowestFee })));
    }

    [Fact]
    public void RegionsAndCountries_BothApply()
    {
        var matcher = TwoRegions();
        var none = Assert.IsType<NotMatched>(matcher.Match(OneH100 with { AllowedCountries = ["FR"], AllowedRegions = ["Hesse"] }));
        Assert.Equal("no H100 host in FR in region Hesse", none.Reason);
    }

    [Fact]
    public void ARegionNoHostIsIn_IsTheReason()
    {
        var matcher = TwoRegions();
        var none = Assert.IsType<NotMatched>(matcher.Match(OneH100 with { AllowedRegions = ["Saxony"] }));
        Assert.Equal("no H100 host in region Saxony", none.Reason);
        Assert.Equal(0, matcher.Cluster.AllocatedGpuMilli);
    }

    [Fact]
    public void AnOrderWithoutPlaces_AfterOneWithThem_SeesEveryHostAgain()
    {
        var matcher = TwoRegions();
        Assert.Equal([0], Nodes(matcher.Match(OneH100 with { AllowedRegions = ["Hesse"] })));
        Assert.Equal([1], Nodes(matcher.Match(OneH100 with { Ranking = Ranking.LowestFee })));
    }
}
