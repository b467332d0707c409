using Gpunet.Core.Marketplace;
using Gpunet.Core.Scheduling;

namespace Gpunet.Core.Tests.Marketplace;

/// <summary>Hosts, offers and orders for the matcher tests.</summary>
internal static class Matchers
{
    public const string H100 = "H100-SXM5-80GB";
    public const string H100Pcie = "H100-PCIe-80GB";
    public const string A100 = "A100-SXM4-80GB";
    public const string T4 = "T4-16GB";

    public static readonly (double Lat, double Lon) Frankfurt = (50.11, 8.68);
    public static readonly (double Lat, double Lon) Berlin = (52.52, 13.40);
    public static readonly (double Lat, double Lon) Paris = (48.86, 2.35);
    public static readonly (double Lat, double Lon) Ashburn = (39.04, -77.49);
    public static readonly (double Lat, double Lon) Tokyo = (35.68, 139.69);

    public static NodeSpec Machine(int gpus = 8, string model = H100, int cpu = 96_000, int memory = 786_432) =>
        new("spec", cpu, memory, gpus, model);

    public static HostOffer Offer(string id, string country = "DE", decimal price = 2m, (double Lat, double Lon)? at = null, double reputation = 1.0)
    {
        var (lat, lon) = at ?? Frankfurt;
        return new HostOffer(id, country, "eu-central", lat, lon, price, reputation);
    }

    /// <summary>One whole H100 on one host, 1 core and 1 GiB, at most 10 USD per GPU-hour.</summary>
    public static readonly OrderSpec OneH100 = new()
    {
        Models = ["H100"],
        GpusPerHost = 1,
        CpuMilliPerHost = 1_000,
        MemoryMibPerHost = 1_024,
        MaxPriceUsdPerGpuHour = 10m,
    };

    /// <summary>FGD against a mix of one-GPU and whole-machine (8-GPU) tasks: it keeps 8-GPU machines whole.</summary>
    public static FgdPolicy Fgd() =>
        new(WorkloadDistribution.From([new PlacementRequest(1_000, 1_024, 1, 1000), new PlacementRequest(8_000, 65_536, 8, 1000)]));

    /// <summary>A matcher (<see cref="Fgd"/>) with the given hosts, all available.</summary>
    public static OrderMatcher With(params (NodeSpec Spec, HostOffer Offer)[] hosts) => With(Fgd(), hosts);

    public static OrderMatcher With(IPlacementPolicy policy, params (NodeSpec Spec, HostOffer Offer)[] hosts)
    {
        var matcher = new OrderMatcher(policy);
        foreach (var (spec, offer) in hosts)
            matcher.SetAvailable(matcher.AddHost(spec, offer), true);
        return matcher;
    }

    /// <summary>Takes <paramref name="gpus"/> whole GPUs of the node directly in the cluster (a host partly used).</summary>
    public static void Use(OrderMatcher matcher, int node, int gpus) =>
        matcher.Cluster.Allocate(new Placement(node, new PlacementRequest(1_000, 1_024, gpus, PlacementRequest.WholeGpu),
            [.. Enumerable.Range(0, gpus)]));

    /// <summary>The nodes a match placed on; fails the test when it did not match.</summary>
    public static int[] Nodes(MatchResult result)
    {
        var matched = Assert.IsType<Matched>(result);
        return [.. matched.Placements.Select(p => p.Node)];
    }

    public static string Reason(MatchResult result) => Assert.IsType<NotMatched>(result).Reason;
}
