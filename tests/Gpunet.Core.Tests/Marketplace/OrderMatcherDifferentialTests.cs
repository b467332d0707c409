using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Marketplace;
using Gpunet.Core.Scheduling;

namespace Gpunet.Core.Tests.Marketplace;

/// <summary>The indexed matcher against the full-pass reference it replaced: on random sequences of matches,
/// releases, availability and offer changes and capacity overwrites, both decide the same (same nodes, same GPUs,
/// same reasons), with every policy, learning FGD included.</summary>
public sealed class OrderMatcherDifferentialTests
{
    private static readonly string[] Models = [Matchers.H100, Matchers.H100Pcie, Matchers.A100, Matchers.T4];
    private static readonly string[] CountryCodes = ["DE", "FR", "US", "JP"];
    private static readonly (double, double)[] Places = [Matchers.Frankfurt, Matchers.Paris, Matchers.Ashburn, Matchers.Tokyo, Matchers.Berlin];
    private static readonly decimal[] Prices = [1.00m, 1.04m, 1.05m, 1.10m, 2.00m, 3.50m];
    private static readonly double[] Reputations = [0.5, 0.9, 0.95, 0.97, 1.0];

    private static readonly Gen<(NodeSpec Spec, HostOffer Offer)> Host =
        from gpus in Gen.Elements(1, 2, 4, 8)
        from model in Gen.Elements(Models)
        from cpu in Gen.Choose(1, 16).Select(c => c * 4_000)
        from country in Gen.Elements(CountryCodes)
        from price in Gen.Elements(Prices)
        from place in Gen.Elements(Places)
        from reputation in Gen.Elements(Reputations)
        select (new NodeSpec("x", cpu, 262_144, gpus, model), new HostOffer("x", country, "r", place.Item1, place.Item2, price, reputation));

    // A few order shapes, so that signatures repeat and their indexes are reused across changes.
    private static readonly Gen<OrderSpec> Order =
        from models in Gen.Elements<string[]>([], ["H100"], ["A100", "H100"], [Matchers.T4])
        from count in Gen.Elements(1, 1, 1, 2, 8)
        from milli in Gen.Elements(1000, 1000, 500, 250)
        from cpu in Gen.Elements(0, 4_000, 16_000)
        from hosts in Gen.Elements(1, 1, 1, 2, 3)
        from countries in Gen.Elements(0, 0, 1, 2)
        from price in Gen.Elements(1.04m, 2.00m, 5.00m)
        from point in Gen.Elements<(double, double)?>(null, null, Matchers.Berlin, Matchers.Tokyo)
        from maxLatency in Gen.Elements<int?>(null, 30, 150)
        from ranking in Gen.Elements(Ranking.Balanced, Ranking.LowestFee, Ranking.BestExperience)
        select new OrderSpec
        {
            Models = models,
            GpusPerHost = count,
            GpuMilli = count == 1 ? milli : 1000,
            CpuMilliPerHost = cpu,
            MemoryMibPerHost = 1_024,
            Hosts = hosts,
            AllowedCountries = countries == 1 ? ["DE", "FR"] : [],
            DeniedCountries = countries == 2 ? ["US"] : [],
            MaxPriceUsdPerGpuHour = price,
            LatencyFrom = point,
            MaxLatencyMs = point is null ? null : maxLatency,
            Ranking = ranking,
        };

    // 0-5 match (with an exclusion on 5), 6-7 release, 8 availability, 9 offer, 10 capacity overwrite.
    private static readonly Gen<(int Kind, int A, int B, OrderSpec Order)> Step =
        from kind in Gen.Choose(0, 10)
        from a in Gen.Choose(0, 1_000)
        from b in Gen.Choose(0, 1_000)
        from order in Order
        select (kind, a, b, order);

    [Property(MaxTest = 200)]
    public Property Match_RandomSequences_DecidesAsTheFullPassReference() =>
        Prop.ForAll(Gen.NonEmptyListOf(Host).ToArbitrary(), Gen.ListOf(Step).ToArbitrary(), Gen.Choose(0, 1_000).ToArbitrary(), SameDecisions);

    // Clusters of whole 64-node words, where the policy scans four deltas at a time.
    [Property(MaxTest = 20)]
    public Property Match_RandomSequencesOnLargerClusters_DecidesAsTheFullPassReference() =>
        Prop.ForAll(
            Gen.Choose(130, 400).SelectMany(n => Gen.ListOf(Host, n)).ToArbitrary(),
            Gen.Choose(50, 200).SelectMany(n => Gen.ListOf(Step, n)).ToArbitrary(),
            Gen.Choose(0, 1_000).ToArbitrary(),
            SameDecisions);

    private static Property SameDecisions(IList<(NodeSpec Spec, HostOffer Offer)> hosts, IList<(int Kind, int A, int B, OrderSpec Order)> steps, int seed)
    {
        {
            var name = PlacementPolicies.Names[seed % PlacementPolicies.Names.Count];
            var fast = new OrderMatcher(PlacementPolicies.Create(name, (ulong)seed));
            var slow = new OrderMatcher(PlacementPolicies.Create(name, (ulong)seed), indexed: false);
            for (var i = 0; i < hosts.Count; i++)
            {
                foreach (var m in new[] { fast, slow })
                    m.SetAvailable(m.AddHost(hosts[i].Spec, hosts[i].Offer with { HostId = $"h{i}" }), i % 5 != 4);
            }

            var placed = new List<Placement>();
            foreach (var (kind, a, b, order) in steps)
            {
                var node = a % hosts.Count;
                switch (kind)
                {
                    case <= 5:
                        Func<int, bool>? exclude = kind == 5 ? n => n % 3 == a % 3 : null;
                        Func<int, string?>? compliance = seed % 2 == 0 ? n => n % 4 == b % 4 ? "not verified" : null : null;
                        var expected = slow.Match(order, compliance, exclude);
                        var actual = fast.Match(order, compliance, exclude);
                        if (Describe(actual) != Describe(expected))
                            return false.Label($"{name}: {Describe(actual)} instead of {Describe(expected)} for {order}");
                        if (actual is Matched m)
                            placed.AddRange(m.Placements);
                        break;
                    case <= 7 when placed.Count > 0:
                        var p = placed[a % placed.Count];
                        placed.Remove(p);
                        fast.Release(p);
                        slow.Release(p);
                        break;
                    case 8:
                        fast.SetAvailable(node, !fast.IsAvailable(node));
                        slow.SetAvailable(node, !slow.IsAvailable(node));
                        break;
                    case 9:
                        var offer = fast.Offer(node) with { PriceUsdPerGpuHour = Prices[b % Prices.Length], Reputation = Reputations[b % Reputations.Length] };
                        fast.UpdateOffer(node, offer);
                        slow.UpdateOffer(node, offer);
                        break;
                    case 10:
                        // Another coordinator freed the host: its placements are gone.
                        placed.RemoveAll(q => q.Node == node);
                        var free = Enumerable.Repeat(PlacementRequest.WholeGpu, hosts[node].Spec.GpuCount).ToArray();
                        fast.Cluster.SetFree(node, hosts[node].Spec.CpuMilli, hosts[node].Spec.MemoryMib, free);
                        slow.Cluster.SetFree(node, hosts[node].Spec.CpuMilli, hosts[node].Spec.MemoryMib, free);
                        break;
                }
            }

            return true.Label("same decisions");
        }
    }

    [Fact]
    public void Match_MoreChangesThanTheJournalHolds_DecidesAsTheFullPassReference()
    {
        // Past the cluster's journal of changed nodes, an order's index tests every node's fit again.
        var fast = new OrderMatcher(new FgdPolicy(prior: null, learn: true));
        var slow = new OrderMatcher(new FgdPolicy(prior: null, learn: true), indexed: false);
        for (var i = 0; i < 1_000; i++)
        {
            foreach (var m in new[] { fast, slow })
            {
                var node = m.AddHost(new NodeSpec("x", 64_000, 262_144, 8, Models[i % 2]),
                    new HostOffer($"h{i}", CountryCodes[i % 4], "r", 50, 8, Prices[i % Prices.Length], Reputations[i % Reputations.Length]));
                m.SetAvailable(node, true);
            }
        }

        var eights = Matchers.OneH100 with { Models = ["H100"], GpusPerHost = 8, MaxPriceUsdPerGpuHour = 5m };
        var halves = Matchers.OneH100 with { Models = [], GpuMilli = 500, MaxPriceUsdPerGpuHour = 5m };
        Assert.Equal(Describe(slow.Match(eights)), Describe(fast.Match(eights)));
        for (var i = 0; i < 5_000; i++)
            Assert.Equal(Describe(slow.Match(halves)), Describe(fast.Match(halves)));
        for (var i = 0; i < 3; i++)
            Assert.Equal(Describe(slow.Match(eights)), Describe(fast.Match(eights)));
    }

    private static string Describe(MatchResult r) => r switch
    {
        Matched m => string.Join("; ", m.Placements.Select(p => $"{p.Node}:[{string.Join(",", p.Gpus)}]")),
        NotMatched n => "not matched: " + n.Reason,
        _ => "?",
    };
}
