using Gpunet.Core.Query;

namespace Gpunet.Core.Tests.Query;

/// <summary>When a search finds nothing, which requirement left out how many offers.</summary>
public class GpuQueryExclusionTests
{
    [Fact]
    public void Exclusions_EachClauseCountsTheOffersItLeavesOut_InTheOrderWritten()
    {
        var query = GpuQuery.Parse("country=DE price<=1 vram>=40");

        var exclusions = query.Exclusions(Offers.All);

        // DE: both Berlin hosts stay, 3 out. price<=1: only the 4090 stays, 4 out. vram>=40: the 4090 is out.
        Assert.Equal(["country=DE", "price<=1", "vram>=40"], exclusions.Select(e => e.Clause.ToString()));
        Assert.Equal([3, 4, 1], exclusions.Select(e => e.Excluded));
        Assert.DoesNotContain(Offers.All, query.Matches);
    }

    [Fact]
    public void Exclusions_NoClause_NothingToBlame()
    {
        Assert.Empty(GpuQuery.Parse("").Exclusions(Offers.All));
    }

    [Fact]
    public void Exclusions_NoOffers_EveryClauseExcludesNone()
    {
        Assert.All(GpuQuery.Parse("model=H100 count>=8").Exclusions([]), e => Assert.Equal(0, e.Excluded));
    }
}
