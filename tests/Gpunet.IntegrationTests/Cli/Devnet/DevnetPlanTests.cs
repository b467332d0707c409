using Gpunet.Cli.Devnet;
using Gpunet.Core.Discovery;
using Gpunet.Core.Geography;

namespace Gpunet.IntegrationTests.Cli.Devnet;

/// <summary>The hosts <c>gpunet devnet</c> starts.</summary>
public sealed class DevnetPlanTests
{
    public static TheoryData<int> FirstSites => [.. Enumerable.Range(0, 40)];

    [Fact]
    public void Site_Zero_WholeEightH100Machine()
    {
        var spec = SimulatedGpuSpec.Parse(DevnetPlan.Site(0).Gpus);
        Assert.Equal("H100", spec.Model.Family);
        Assert.Equal(8, spec.Count);
    }

    [Theory]
    [MemberData(nameof(FirstSites))]
    public void Site_Any_ValidForAnAgent(int i)
    {
        var site = DevnetPlan.Site(i);
        var spec = SimulatedGpuSpec.Parse(site.Gpus);
        Assert.InRange(spec.Count, 1, SimulatedGpuSpec.MaxCount);
        Assert.True(Countries.IsKnown(site.Country), site.Country);
        Assert.Equal(site.Country.ToUpperInvariant(), site.Country);
        Assert.InRange(site.Latitude, -90, 90);
        Assert.InRange(site.Longitude, -180, 180);
        Assert.True(site.PriceUsdPerGpuHour > 0, $"site {i}: price {site.PriceUsdPerGpuHour}");
        Assert.False(string.IsNullOrWhiteSpace(site.Region));
        Assert.True(site.Region.Length <= 64, site.Region);
    }

    [Fact]
    public void Site_FirstTwelve_SpanAtLeastEightCountries()
    {
        var countries = Enumerable.Range(0, 12).Select(i => DevnetPlan.Site(i).Country).Distinct(StringComparer.Ordinal).ToList();
        Assert.True(countries.Count >= 8, string.Join(",", countries));
    }

    [Fact]
    public void Site_FirstTwelve_IncludeMainGpuFamilies()
    {
        var families = Enumerable.Range(0, 12).Select(i => SimulatedGpuSpec.Parse(DevnetPlan.Site(i).Gpus).Model.Family).ToHashSet(StringComparer.Ordinal);
        foreach (var family in new[] { "H100", "H200", "A100", "L40S", "RTX-4090" })
            Assert.Contains(family, families);
    }

    [Fact]
    public void Site_PastTheTable_SameSiteAtHigherPrice()
    {
        var size = TableSize();
        for (var i = 0; i < size; i++)
        {
            var first = DevnetPlan.Site(i);
            var previous = first;
            for (var round = 1; round <= 6; round++)
            {
                var again = DevnetPlan.Site(i + round * size);
                Assert.Equal(first with { PriceUsdPerGpuHour = again.PriceUsdPerGpuHour }, again);
                Assert.True(again.PriceUsdPerGpuHour > previous.PriceUsdPerGpuHour, $"site {i + round * size}: {again.PriceUsdPerGpuHour} after {previous.PriceUsdPerGpuHour}");
                previous = again;
            }
        }
    }

    [Fact]
    public void Site_SameIndex_SameSite()
    {
        Assert.Equal(DevnetPlan.Site(21), DevnetPlan.Site(21));
    }

    [Fact]
    public void Site_NegativeIndex_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DevnetPlan.Site(-1));
    }

    // The table's length: the first index whose site repeats site 0 apart from its price.
    private static int TableSize()
    {
        var zero = DevnetPlan.Site(0);
        for (var i = 1; i < 1000; i++)
        {
            var s = DevnetPlan.Site(i);
            if (s with { PriceUsdPerGpuHour = zero.PriceUsdPerGpuHour } == zero)
                return i;
        }

        throw new InvalidOperationException("the devnet plan never wraps");
    }
}
