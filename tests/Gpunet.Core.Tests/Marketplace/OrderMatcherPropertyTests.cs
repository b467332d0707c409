using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Gpus;
using Gpunet.Core.Marketplace;
using Gpunet.Core.Scheduling;
using Gpunet.Core.Tests.Scheduling;
using static Gpunet.Core.Tests.Scheduling.Clusters;

namespace Gpunet.Core.Tests.Marketplace;

/// <summary>On random clusters, offers and orders: a match places on distinct nodes that pass every hard filter and
/// takes exactly the order's share; no match leaves the cluster as it was, and happens only when fewer nodes than
/// the gang pass the filters (checked by a plain loop).</summary>
public sealed class OrderMatcherPropertyTests
{
    private static readonly string[] Models = [Matchers.H100, Matchers.H100Pcie, Matchers.A100, Matchers.T4];
    private static readonly string[] CountryCodes = ["DE", "FR", "US"];
    private static readonly (double, double)[] Places = [Matchers.Frankfurt, Matchers.Paris, Matchers.Ashburn, Matchers.Tokyo];

    private static readonly Gen<(NodeSpec Spec, HostOffer Offer, bool Available, int Used)> Host =
        from gpus in Gen.Elements(1, 2, 4, 8)
        from model in Gen.Elements(Models)
        from cpu in Gen.Choose(1, 16).Select(c => c * 4_000)
        from country in Gen.Elements(CountryCodes)
        from price in Gen.Elements(1.00m, 1.04m, 2.00m, 3.50m)
        from place in Gen.Elements(Places)
        from reputation in Gen.Elements(0.5, 0.9, 0.97, 1.0)
        from available in Gen.Elements(true, true, true, false)
        from used in Gen.Choose(0, gpus)
        select (new NodeSpec("x", cpu, 262_144, gpus, model), new HostOffer("x", country, "r", place.Item1, place.Item2, price, reputation), available, used);

    private static readonly Gen<OrderSpec> Order =
        from models in Gen.SubListOf(["H100", "A100", Matchers.T4])
        from minVram in Gen.Elements<int?>(null, null, 40, 90)
        from count in Gen.Elements(1, 1, 2, 4, 8)
        from milli in Gen.Elements(1000, 1000, 250, 600)
        from cpu in Gen.Choose(0, 8).Select(c => c * 4_000)
        from hosts in Gen.Elements(1, 1, 2, 3)
        from allowed in Gen.SubListOf(CountryCodes)
        from denied in Gen.SubListOf(CountryCodes)
        from price in Gen.Elements(1.00m, 2.00m, 5.00m)
        from point in Gen.Elements<(double, double)?>(null, Matchers.Berlin, Matchers.Tokyo)
        from maxLatency in Gen.Elements<int?>(null, 20, 150)
        from ranking in Gen.Elements(Ranking.Balanced, Ranking.LowestFee, Ranking.BestExperience)
        select new OrderSpec
        {
            Models = [.. models],
            MinVramGb = minVram,
            GpusPerHost = count,
            GpuMilli = count == 1 ? milli : 1000,
            CpuMilliPerHost = cpu,
            MemoryMibPerHost = 1_024,
            Hosts = hosts,
            AllowedCountries = [.. allowed.Where(c => c != "US")],
            DeniedCountries = [.. denied.Where(c => c == "US")],
            MaxPriceUsdPerGpuHour = price,
            LatencyFrom = point,
            MaxLatencyMs = point is null ? null : maxLatency,
            Ranking = ranking,
        };

    private static readonly Gen<((NodeSpec Spec, HostOffer Offer, bool Available, int Used)[] Hosts, OrderSpec[] Orders, int Seed)> Scenario =
        from hosts in Gen.ArrayOf(Host)
        from orders in Gen.ArrayOf(Order).Where(o => o.Length > 0)
        from seed in Gen.Choose(0, 1_000)
        select (hosts, orders, seed);

    [Property(MaxTest = 300)]
    public Property Match_RandomClustersAndOrders_PlacesOnlyWhereEveryFilterPassesOrChangesNothing() =>
        Prop.ForAll(Scenario.ToArbitrary(), s =>
        {
            var matcher = new OrderMatcher(PlacementPolicies.Create(PlacementPolicies.Names[s.Seed % PlacementPolicies.Names.Count], (ulong)s.Seed));
            for (var i = 0; i < s.Hosts.Length; i++)
            {
                var (spec, offer, available, used) = s.Hosts[i];
                var node = matcher.AddHost(spec, offer with { HostId = $"h{i}" });
                matcher.SetAvailable(node, available);
                if (used > 0)
                    matcher.Cluster.Allocate(new Placement(node, new PlacementRequest(0, 0, used, 1000), [.. Enumerable.Range(0, used)]));
            }

            Func<int, string?>? compliance = s.Seed % 2 == 0 ? n => n % 5 == 1 ? "not verified" : null : null;
            Func<int, bool>? exclude = s.Seed % 3 == 0 ? n => n % 7 == 3 : null;
            foreach (var order in s.Orders)
            {
                var request = OrderMatcher.RequestFor(order);
                var passing = Enumerable.Range(0, matcher.Cluster.NodeCount)
                    .Count(n => Passes(matcher, n, order, request, compliance, exclude));
                var before = Snapshot(matcher.Cluster);
                var allocated = matcher.Cluster.AllocatedGpuMilli;
                var result = matcher.Match(order, compliance, exclude);
                if (result is NotMatched)
                {
                    if (Snapshot(matcher.Cluster) != before || passing >= order.Hosts && !NoModelMeets(order))
                        return false;
                    continue;
                }

                var placements = ((Matched)result).Placements;
                if (placements.Length != order.Hosts || placements.Select(p => p.Node).Distinct().Count() != order.Hosts
                    || matcher.Cluster.AllocatedGpuMilli - allocated != request.TotalGpuMilli * order.Hosts)
                    return false;
                // Each node passed every filter before the match took its share.
                foreach (var p in placements)
                {
                    matcher.Release(p);
                    var ok = Passes(matcher, p.Node, order, request, compliance, exclude);
                    matcher.Cluster.Allocate(p);
                    if (!ok)
                        return false;
                }
            }

            return true;
        });

    // The hard filters as a plain loop over the offer's strings and the catalog.
    private static bool Passes(OrderMatcher m, int node, OrderSpec o, PlacementRequest request, Func<int, string?>? compliance, Func<int, bool>? exclude)
    {
        var offer = m.Offer(node);
        var model = m.Cluster.GpuModel(node);
        var modelOk = o.Models.Count == 0 ? request.AcceptableModels.Count == 0 || request.AcceptableModels.Contains(model)
            : o.Models.Any(name => GpuCatalog.Matches(name, model)) && (o.MinVramGb is null || GpuCatalog.Resolve(model)[0].VramGb >= o.MinVramGb);
        var latencyOk = o is not { MaxLatencyMs: { } max, LatencyFrom: { } from }
            || LatencyModel.EstimateRttMs(offer.Latitude, offer.Longitude, from.Latitude, from.Longitude) <= max;
        return m.IsAvailable(node) && modelOk && ReferenceFilter.Fits(m.Cluster, node, request)
            && (o.AllowedCountries.Count == 0 || o.AllowedCountries.Contains(offer.Country, StringComparer.OrdinalIgnoreCase))
            && !o.DeniedCountries.Contains(offer.Country, StringComparer.OrdinalIgnoreCase)
            && offer.PriceUsdPerGpuHour <= o.MaxPriceUsdPerGpuHour && latencyOk
            && compliance?.Invoke(node) is null && exclude?.Invoke(node) != true;
    }

    private static bool NoModelMeets(OrderSpec o) => o.MinVramGb is not null && OrderMatcher.RequestFor(o).AcceptableModels.Count == 0;
}
