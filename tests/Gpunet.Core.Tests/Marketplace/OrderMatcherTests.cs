using Gpunet.Core.Marketplace;
using Gpunet.Core.Scheduling;
using static Gpunet.Core.Tests.Marketplace.Matchers;
using static Gpunet.Core.Tests.Scheduling.Clusters;

namespace Gpunet.Core.Tests.Marketplace;

public sealed class OrderMatcherTests
{
    [Fact]
    public void AddHost_NewHost_NamedByItsIdAndNotYetAvailable()
    {
        var matcher = new OrderMatcher(new FgdPolicy());

        var node = matcher.AddHost(Machine(), Offer("host-a"));

        Assert.Equal(0, node);
        Assert.Equal("host-a", matcher.Cluster.Name(node));
        Assert.True(matcher.Cluster.TryGetNode("host-a", out _));
        Assert.False(matcher.IsAvailable(node));
        Assert.Equal("no host is ready", Reason(matcher.Match(OneH100)));
        matcher.SetAvailable(node, true);
        Assert.Equal([0], Nodes(matcher.Match(OneH100)));
    }

    [Fact]
    public void AddHost_TakenIdOrBadOffer_ThrowsAndAddsNothing()
    {
        var matcher = With((Machine(), Offer("host-a")));

        Assert.Throws<ArgumentException>(() => matcher.AddHost(Machine(), Offer("host-a")));
        Assert.Throws<ArgumentException>(() => matcher.AddHost(Machine(), Offer("host-b", price: -1m)));
        Assert.Throws<ArgumentException>(() => matcher.AddHost(Machine(), Offer("host-b", reputation: 1.5)));
        Assert.Throws<ArgumentException>(() => matcher.AddHost(Machine(), Offer("host-b", at: (91, 0))));
        Assert.Throws<ArgumentException>(() => matcher.AddHost(Machine(), Offer("host-b", country: " ")));
        Assert.Equal(1, matcher.Cluster.NodeCount);
        Assert.Equal(1, matcher.AddHost(Machine(), Offer("host-b")));
    }

    [Fact]
    public void UpdateOffer_NewPrice_TakesEffectOnTheNextMatch()
    {
        var matcher = With((Machine(), Offer("host-a", price: 2m)));
        var order = OneH100 with { MaxPriceUsdPerGpuHour = 2.5m };

        matcher.UpdateOffer(0, Offer("host-a", price: 3m));

        Assert.Equal(3m, matcher.Offer(0).PriceUsdPerGpuHour);
        Assert.Equal("no H100 host at or under 2.5 USD/GPU-hour", Reason(matcher.Match(order)));
        Assert.True(matcher.IsAvailable(0));
    }

    [Fact]
    public void UpdateOffer_OtherHostIdOrUnknownNode_Throws()
    {
        var matcher = With((Machine(), Offer("host-a")));

        Assert.Throws<ArgumentException>(() => matcher.UpdateOffer(0, Offer("host-b")));
        Assert.Throws<ArgumentOutOfRangeException>(() => matcher.UpdateOffer(1, Offer("host-a")));
        Assert.Throws<ArgumentOutOfRangeException>(() => matcher.SetAvailable(1, true));
        Assert.Throws<ArgumentOutOfRangeException>(() => matcher.Offer(-1));
    }

    [Fact]
    public void RequestFor_Family_EveryVariantAndTheOrdersFigures()
    {
        var r = OrderMatcher.RequestFor(OneH100 with { GpusPerHost = 4, CpuMilliPerHost = 8_000, MemoryMibPerHost = 65_536 });

        Assert.Equal([H100, H100Pcie, "H100-NVL-94GB"], r.AcceptableModels);
        Assert.Equal((8_000, 65_536, 4, 1000), (r.CpuMilli, r.MemoryMib, r.GpuCount, r.GpuMilli));
    }

    [Fact]
    public void RequestFor_Minimums_FilterTheNamedModelsOrTheWholeCatalog()
    {
        Assert.Equal(["H100-NVL-94GB"], OrderMatcher.RequestFor(OneH100 with { MinVramGb = 90 }).AcceptableModels);
        var any80 = OrderMatcher.RequestFor(OneH100 with { Models = [], MinVramGb = 80, MinComputeCapability = 9.0m }).AcceptableModels;
        Assert.Contains(H100, any80);
        Assert.Contains("B200-SXM-180GB", any80);
        Assert.DoesNotContain(A100, any80);
        Assert.DoesNotContain(T4, any80);
        Assert.Empty(OrderMatcher.RequestFor(OneH100 with { Models = [] }).AcceptableModels);
    }

    [Fact]
    public void RequestFor_HugeMemory_ClampedAndFractionKept()
    {
        var r = OrderMatcher.RequestFor(OneH100 with { MemoryMibPerHost = 5_000_000_000L, GpuMilli = 250 });

        Assert.Equal(int.MaxValue, r.MemoryMib);
        Assert.True(r.IsFractional);
    }

    [Fact]
    public void Match_Family_MatchesAnotherVariant()
    {
        var matcher = With((Machine(model: A100), Offer("a")), (Machine(model: H100Pcie), Offer("b")));

        Assert.Equal([1], Nodes(matcher.Match(OneH100)));
    }

    [Fact]
    public void Match_NoHostOfTheModel_SaysSoInTheOrdersWords()
    {
        var matcher = With((Machine(model: A100), Offer("a")), (Machine(4, H100), Offer("b")));

        Assert.Equal("no host has T4 GPUs", Reason(matcher.Match(OneH100 with { Models = ["T4"] })));
        Assert.Equal("no host has 8 × H100 GPUs", Reason(matcher.Match(OneH100 with { GpusPerHost = 8, Models = ["H100"] })));
        Assert.Equal("no host has 0.25 × T4 GPUs", Reason(matcher.Match(OneH100 with { GpuMilli = 250, Models = ["T4"] })));
    }

    [Fact]
    public void Match_AnyModel_TakesWhateverIsThere()
    {
        var matcher = With((Machine(model: T4), Offer("a")));

        Assert.Equal([0], Nodes(matcher.Match(OneH100 with { Models = [] })));
        var cpuOnly = With((Machine(0, ""), Offer("c")));
        Assert.Equal("no host has any GPU", Reason(cpuOnly.Match(OneH100 with { Models = [] })));
    }

    [Fact]
    public void Match_MinimumVram_LeavesOutSmallerCards()
    {
        var matcher = With((Machine(model: T4), Offer("a")), (Machine(model: A100), Offer("b")));

        Assert.Equal([1], Nodes(matcher.Match(OneH100 with { Models = [], MinVramGb = 40 })));
        Assert.Equal("no host has GPU (≥ 100 GB)", Reason(matcher.Match(OneH100 with { Models = [], MinVramGb = 100 })));
    }

    [Fact]
    public void Match_MinimumsLeaveNoModel_SaysNoModelMeetsThem()
    {
        var matcher = With((Machine(), Offer("a")));

        Assert.Equal("no GPU model meets H100 (≥ 100 GB, compute ≥ 9.0)",
            Reason(matcher.Match(OneH100 with { MinVramGb = 100, MinComputeCapability = 9.0m })));
        Assert.Equal("no GPU model meets H1000", Reason(matcher.Match(OneH100 with { Models = ["H1000"] })));
    }

    [Fact]
    public void Match_AllowedCountries_IgnoreCase()
    {
        var matcher = With((Machine(), Offer("a", "fr")), (Machine(), Offer("b", "de")));

        Assert.Equal([1], Nodes(matcher.Match(OneH100 with { AllowedCountries = ["DE", "PL"] })));
        Assert.Equal("no H100 host in PL, US", Reason(matcher.Match(OneH100 with { AllowedCountries = ["pl", "US"] })));
    }

    [Fact]
    public void Match_DeniedCountries_LeftOut()
    {
        var matcher = With((Machine(), Offer("a", "FR")), (Machine(), Offer("b", "DE")));

        Assert.Equal([0], Nodes(matcher.Match(OneH100 with { DeniedCountries = ["de"] })));
        Assert.Equal("no H100 host outside DE, FR", Reason(matcher.Match(OneH100 with { DeniedCountries = ["de", "fr"] })));
    }

    [Fact]
    public void Match_MaxPrice_InclusiveAndSaidWithTheCountries()
    {
        var matcher = With((Machine(), Offer("a", price: 2.40m)), (Machine(), Offer("b", price: 2.60m)));

        Assert.Equal([0], Nodes(matcher.Match(OneH100 with { MaxPriceUsdPerGpuHour = 2.40m })));
        Assert.Equal("no H100 host in DE at or under 2.00 USD/GPU-hour",
            Reason(matcher.Match(OneH100 with { MaxPriceUsdPerGpuHour = 2.00m, AllowedCountries = ["DE"] })));
    }

    [Fact]
    public void Match_MaxLatency_OnlyHostsWithinTheRoundTrip()
    {
        var matcher = With((Machine(), Offer("a", "US", at: Ashburn)), (Machine(), Offer("b", "DE", at: Frankfurt)));
        var fromBerlin = OneH100 with { LatencyFrom = Berlin, MaxLatencyMs = 30 };

        Assert.Equal([1], Nodes(matcher.Match(fromBerlin)));
        Assert.Equal("no H100 host within 30 ms of (35.68, 139.69)", Reason(matcher.Match(fromBerlin with { LatencyFrom = Tokyo })));
    }

    [Fact]
    public void Match_MaxLatency_ExactlyTheModelsEstimate()
    {
        var matcher = With((Machine(), Offer("paris", "FR", at: Paris)));
        var rtt = LatencyModel.EstimateRttMs(Berlin.Lat, Berlin.Lon, Paris.Lat, Paris.Lon);
        var order = OneH100 with { LatencyFrom = Berlin };

        Assert.IsType<NotMatched>(matcher.Match(order with { MaxLatencyMs = (int)Math.Floor(rtt) }));
        Assert.Equal([0], Nodes(matcher.Match(order with { MaxLatencyMs = (int)Math.Ceiling(rtt) })));
    }

    [Fact]
    public void Match_LatencyFromWithoutMaximum_NoLimit()
    {
        var matcher = With((Machine(), Offer("a", "US", at: Ashburn)));

        Assert.Equal([0], Nodes(matcher.Match(OneH100 with { LatencyFrom = Tokyo })));
    }

    [Fact]
    public void Match_ComplianceRefusesANode_TakesAnother()
    {
        var matcher = With((Machine(), Offer("a")), (Machine(), Offer("b")));

        Assert.Equal([1], Nodes(matcher.Match(OneH100, compliance: n => n == 0 ? "sanctioned operator" : null)));
    }

    [Fact]
    public void Match_ComplianceRefusesEveryNode_GivesTheFirstReasonWithACount()
    {
        var matcher = With((Machine(), Offer("a")), (Machine(), Offer("b")), (Machine(model: T4), Offer("c")));

        Assert.Equal("operator not verified (2 matching hosts refused)",
            Reason(matcher.Match(OneH100, compliance: n => n == 0 ? "operator not verified" : "export control")));
    }

    [Fact]
    public void Match_ExcludedNode_NeverTaken()
    {
        var matcher = With((Machine(), Offer("a")), (Machine(), Offer("b")));

        Assert.Equal([1], Nodes(matcher.Match(OneH100, exclude: n => n == 0)));
        Assert.Equal("no H100 host in DE other than the excluded one",
            Reason(With((Machine(), Offer("a"))).Match(OneH100 with { AllowedCountries = ["DE"] }, exclude: _ => true)));
    }

    [Fact]
    public void Match_EveryFittingHostBusy_SaysHowManyMatch()
    {
        var matcher = With((Machine(), Offer("a")), (Machine(), Offer("b")), (Machine(), Offer("c", "FR")));
        Use(matcher, 0, 1);
        Use(matcher, 1, 8);

        Assert.Equal("no 8 × H100 free in DE: 2 hosts match but are busy",
            Reason(matcher.Match(OneH100 with { GpusPerHost = 8, AllowedCountries = ["DE"] })));
        Use(matcher, 2, 1);
        Assert.Equal("no 8 × H100 free: 3 hosts match but are busy", Reason(matcher.Match(OneH100 with { GpusPerHost = 8 })));
    }

    [Fact]
    public void Match_BusyAfterAStoreRefresh_SaysBusy()
    {
        var matcher = With((Machine(), Offer("a")));

        matcher.Cluster.SetFree(0, 96_000, 786_432, [0, 0, 0, 0, 0, 0, 0, 0]);

        Assert.Equal("no H100 free: 1 host matches but is busy", Reason(matcher.Match(OneH100)));
    }

    [Fact]
    public void Match_Gang_DistinctHostsAllAllocated()
    {
        var matcher = With((Machine(), Offer("a")), (Machine(), Offer("b")), (Machine(), Offer("c")));

        var nodes = Nodes(matcher.Match(OneH100 with { GpusPerHost = 8, Hosts = 3 }));

        Assert.Equal([0, 1, 2], nodes.Order());
        Assert.Equal(1.0, matcher.Cluster.AllocatedGpuShare);
    }

    [Fact]
    public void Match_GangLargerThanTheFreeHosts_NothingAllocated()
    {
        var matcher = With((Machine(), Offer("a")), (Machine(), Offer("b")), (Machine(model: A100), Offer("c")));
        Use(matcher, 1, 1);
        var before = Snapshot(matcher.Cluster);

        Assert.Equal("only 1 of 2 hosts free with 8 × H100 in DE",
            Reason(matcher.Match(OneH100 with { GpusPerHost = 8, Hosts = 2, AllowedCountries = ["DE"] })));
        Assert.Equal(before, Snapshot(matcher.Cluster));
    }

    [Fact]
    public void Match_GangWhosePolicyFailsHalfway_GivesBackWhatItTook()
    {
        var matcher = With(new FailingPolicy(succeed: 2), (Machine(), Offer("a")), (Machine(), Offer("b")), (Machine(), Offer("c")));
        var before = Snapshot(matcher.Cluster);

        Assert.IsType<NotMatched>(matcher.Match(OneH100 with { GpusPerHost = 4, Hosts = 3 }));
        Assert.Equal(before, Snapshot(matcher.Cluster));
    }

    [Fact]
    public void Match_GangBeyondTheBand_TakesTheNextBestHosts()
    {
        // Two cheap hosts form the band; the gang of three also needs the dear one.
        var matcher = With((Machine(), Offer("a", price: 1m)), (Machine(), Offer("b", price: 5m)), (Machine(), Offer("c", price: 1m)));

        var nodes = Nodes(matcher.Match(OneH100 with { GpusPerHost = 8, Hosts = 3, Ranking = Ranking.LowestFee }));

        Assert.Equal([0, 2, 1], nodes);
    }

    [Fact]
    public void Release_AMatchedPlacement_FreesItAgain()
    {
        var matcher = With((Machine(), Offer("a")));
        var before = Snapshot(matcher.Cluster);
        var matched = Assert.IsType<Matched>(matcher.Match(OneH100 with { GpusPerHost = 8 }));

        matcher.Release(matched.Placements[0]);

        Assert.Equal(before, Snapshot(matcher.Cluster));
    }

    /// <summary>FGD that returns null after <c>succeed</c> decisions, as a policy that refuses a node might.</summary>
    private sealed class FailingPolicy(int succeed) : IPlacementPolicy
    {
        private readonly FgdPolicy _fgd = new();
        private int _left = succeed;

        public string Name => "failing";

        public Placement? Choose(ClusterCapacity cluster, PlacementRequest request, Func<int, bool>? nodeFilter = null) =>
            _left-- > 0 ? _fgd.Choose(cluster, request, nodeFilter) : null;
    }
}
