using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Gpunet.Coordinator.Scheduling;
using Gpunet.Cli.Devnet;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Marketplace;
using Gpunet.Core.Scheduling;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Bench;

/// <summary><c>gpunet bench placement</c>: seeds N hosts' capacity rows in a store, then places orders through the
/// marketplace's real matcher (<see cref="OrderMatcher"/>: hard filters, ranking band, then a real policy) and commits
/// each placement through the real <see cref="PlacementStore"/> with many commits in flight, until about 90% of the GPUs
/// are given; prints durable placements per second and the decision latency.</summary>
/// <remarks>The hosts are H100s (SXM5 and PCIe) in six of the devnet's sites, at four price levels with every
/// twentieth host dearer than the orders' limit, and reputations from 0.90 to 1.00, so that the filters and the
/// ranking have work to do. Orders are one whole H100-family GPU, every fourth half a GPU.</remarks>
internal sealed class BenchPlacementCommand : AsyncCommand<BenchPlacementCommand.Settings>
{
    private const double TargetShare = 0.9;
    private const string MatcherName = "order-matcher";
    private const int Sites = 6;
    private static readonly decimal[] PriceLevels = [1.95m, 2.10m, 2.25m, 2.40m];
    private const decimal DearPrice = 3.40m;
    private const decimal MaxPrice = 3.00m;
    private static readonly string[] Rankings = ["balanced", "lowest-fee", "best-experience"];

    public sealed class Settings : CommandSettings
    {
        [CommandOption("--hosts <N>")]
        [Description("Hosts to seed. Default 10000")]
        public int Hosts { get; init; } = 10_000;

        [CommandOption("--gpus-per-host <N>")]
        [Description("GPUs on each host. Default 8")]
        public int GpusPerHost { get; init; } = 8;

        [CommandOption("--policy <NAME>")]
        [Description("fgd (default), best-fit or random-fit")]
        public string Policy { get; init; } = PlacementPolicies.Default;

        [CommandOption("--ranking <NAME>")]
        [Description("The orders' ranking: balanced (default), lowest-fee or best-experience")]
        public string Ranking { get; init; } = "balanced";

        [CommandOption("--db <DB>")]
        [Description("Store; default a fresh SQLite file in a temporary directory. Rows are written under a fresh run id and removed afterwards")]
        public string? Db { get; init; }

        [CommandOption("--coordinators <N>")]
        [Description("N coordinators over one store (give --db for PostgreSQL), each with its own matcher and writer, placing on its share of the hosts (host i streams to coordinator i mod N) with commits pipelined as one coordinator pipelines them")]
        public int? Coordinators { get; init; }

        [CommandOption("--json")]
        [Description("Print one JSON object")]
        public bool Json { get; init; }

        public override ValidationResult Validate() =>
            Hosts < 1 ? ValidationResult.Error("--hosts: at least 1")
            : GpusPerHost is < 1 or > 64 ? ValidationResult.Error("--gpus-per-host: 1 to 64")
            : !PlacementPolicies.Names.Contains(Policy) ? ValidationResult.Error($"--policy: one of {string.Join(", ", PlacementPolicies.Names)}")
            : !Rankings.Contains(Ranking) ? ValidationResult.Error($"--ranking: one of {string.Join(", ", Rankings)}")
            : Coordinators is < 1 or > 16 ? ValidationResult.Error("--coordinators: between 1 and 16")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        var run = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        await using var store = await BenchStore.OpenAsync(s.Db, run, async db =>
        {
            var prefix = $"bench-{run}-";
            await db.Allocations.Where(a => a.HostId.StartsWith(prefix)).ExecuteDeleteAsync(CancellationToken.None);
            await db.HostCapacity.Where(c => c.HostId.StartsWith(prefix)).ExecuteDeleteAsync(CancellationToken.None);
        }, cancellationToken);
        var report = await RunCoordinatorsAsync(s, s.Coordinators ?? 1, store.Factory, store.Connection, run, cancellationToken);
        report = report with { Coordinators = s.Coordinators };
        Print(s, report);
        return 0;
    }

    private sealed record Report(
        string Store, string Matcher, string Policy, string Ranking, int Hosts, int Gpus, int Placements, int Conflicts, double Seconds, double SeedSeconds,
        double PlacementsPerSecond, double DecisionsPerSecond, double DecisionP50Ms, double DecisionP99Ms, double DecisionMaxMs,
        double AllocatedShare, int? Coordinators = null);

    private static List<NodeSpec> Nodes(Settings s, string run) =>
        [.. Enumerable.Range(0, s.Hosts)
            .Select(i => new NodeSpec($"bench-{run}-{i:x6}", 128_000, 1_048_576, s.GpusPerHost, i % 3 == 2 ? "H100-PCIe-80GB" : "H100-SXM5-80GB"))];

    // The orders: one whole H100-family GPU, every fourth half a GPU, ranked as asked.
    private static (OrderSpec Whole, OrderSpec Half) Orders(Settings s)
    {
        var ranking = s.Ranking switch
        {
            "lowest-fee" => Ranking.LowestFee,
            "best-experience" => Ranking.BestExperience,
            _ => Ranking.Balanced,
        };
        var whole = new OrderSpec
        {
            Models = ["H100"], GpusPerHost = 1, CpuMilliPerHost = 4000, MemoryMibPerHost = 32_768,
            MaxPriceUsdPerGpuHour = MaxPrice, Ranking = ranking,
        };
        return (whole, whole with { GpuMilli = 500, CpuMilliPerHost = 2000, MemoryMibPerHost = 16_384 });
    }

    private static IPlacementPolicy Policy(Settings s, OrderSpec whole, OrderSpec half) =>
        PlacementPolicies.Create(s.Policy, 1,
            WorkloadDistribution.From([OrderMatcher.RequestFor(whole), OrderMatcher.RequestFor(whole), OrderMatcher.RequestFor(whole), OrderMatcher.RequestFor(half)]));

    // Host i's offer: one of six sites, four price levels with every twentieth host above the orders' limit, reputations 0.90 to 1.00.
    private static HostOffer OfferOf(List<NodeSpec> nodes, int i)
    {
        var site = DevnetPlan.Site(i % Sites);
        var price = i % 20 == 19 ? DearPrice : PriceLevels[i / Sites % PriceLevels.Length];
        return new HostOffer(nodes[i].Name, site.Country, site.Region, site.Latitude, site.Longitude, price, 0.90 + (i % 11 * 0.01));
    }

    private static async Task<double> SeedAsync(PlacementStore store, List<NodeSpec> nodes, Settings s, StoreConnection connection, CancellationToken ct)
    {
        Console.Error.WriteLine($"seeding {nodes.Count:N0} hosts ({nodes.Count * s.GpusPerHost:N0} GPUs) in {connection.Provider.ToString().ToLowerInvariant()}...");
        var seedClock = Stopwatch.StartNew();
        var full = HostCapacityRecord.FormatGpus(Enumerable.Repeat(PlacementRequest.WholeGpu, s.GpusPerHost).ToArray());
        foreach (var chunk in nodes.Chunk(5000))
        {
            await store.AddHostsAsync(chunk.Select(n => new HostCapacityRecord
            {
                HostId = n.Name, FreeCpuMilli = n.CpuMilli, FreeMemoryMib = n.MemoryMib, FreeGpuMilli = full,
            }), ct);
        }

        return seedClock.Elapsed.TotalSeconds;
    }

    private static async Task<Report> RunCoordinatorsAsync(Settings s, int count, IDbContextFactory<GpunetDb> factory, StoreConnection connection,
        string run, CancellationToken ct)
    {
        var nodes = Nodes(s, run);
        var (whole, half) = Orders(s);
        var writers = Enumerable.Range(0, count).Select(_ => new PlacementWriter(factory)).ToList();
        try
        {
            var stores = writers.Select(w => new PlacementStore(factory, w)).ToList();
            var seedSeconds = await SeedAsync(stores[0], nodes, s, connection, ct);
            var coordinators = Enumerable.Range(0, count)
                .Select(c => new PlacementBenchCoordinator(new OrderMatcher(Policy(s, whole, half)), stores[c], nodes, i => OfferOf(nodes, i), c, count, $"bench-{run}-c{c}-"))
                .ToList();
            Console.Error.WriteLine($"matching {s.Ranking} orders with {s.Policy} on {count} coordinator(s), each on its share of the hosts, until {TargetShare:P0} of the GPUs are given...");
            var decisions = coordinators.Select(_ => new List<long>(nodes.Count * s.GpusPerHost)).ToList();
            var at = StoreTime.Now(TimeProvider.System);
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(coordinators.Select((c, i) => Task.Run(() => c.RunAsync(k => k % 4 == 3 ? half : whole, TargetShare, at, decisions[i], ct), ct)));
            var seconds = clock.Elapsed.TotalSeconds;

            // What the store holds is the result: every GPU given at most once (a share above 1 would say otherwise).
            var rows = await stores[0].AllCapacityAsync(ct);
            var free = rows.Where(r => r.HostId.StartsWith($"bench-{run}-", StringComparison.Ordinal))
                .Sum(r => HostCapacityRecord.ParseGpus(r.FreeGpuMilli).Sum(g => (long)g));
            var total = (long)nodes.Count * s.GpusPerHost * PlacementRequest.WholeGpu;
            var all = decisions.SelectMany(d => d).Order().ToList();
            var committed = coordinators.Sum(c => c.Committed);
            double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
            double Pct(double q) => all.Count == 0 ? 0 : Ms(all[Math.Min(all.Count - 1, (int)(q * all.Count))]);
            return new Report(
                connection.Provider.ToString().ToLowerInvariant(), MatcherName, s.Policy, s.Ranking, nodes.Count, nodes.Count * s.GpusPerHost,
                committed, coordinators.Sum(c => c.Conflicts), seconds, seedSeconds, committed / seconds,
                all.Count / (Ms(all.Sum()) / 1000.0), Pct(0.5), Pct(0.99), all.Count == 0 ? 0 : Ms(all[^1]),
                (double)(total - free) / total, count);
        }
        finally
        {
            foreach (var w in writers)
                await w.DisposeAsync();
        }
    }

    private static void Print(Settings s, Report r)
    {
        if (s.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                benchmark = "placement",
                store = r.Store,
                matcher = r.Matcher,
                policy = r.Policy,
                ranking = r.Ranking,
                hosts = r.Hosts,
                gpus = r.Gpus,
                placements = r.Placements,
                conflicts = r.Conflicts,
                placementsPerSecond = Math.Round(r.PlacementsPerSecond),
                decisionsPerSecond = Math.Round(r.DecisionsPerSecond),
                decisionP50Ms = Math.Round(r.DecisionP50Ms, 4),
                decisionP99Ms = Math.Round(r.DecisionP99Ms, 4),
                decisionMaxMs = Math.Round(r.DecisionMaxMs, 3),
                allocatedShare = Math.Round(r.AllocatedShare, 4),
                coordinators = r.Coordinators,
                seconds = Math.Round(r.Seconds, 3),
                seedSeconds = Math.Round(r.SeedSeconds, 3),
            }));
            return;
        }

        var inv = CultureInfo.InvariantCulture;
        var t = new Table().RoundedBorder()
            .Title($"[bold]gpunet bench placement[/]: {r.Hosts:N0} hosts ({r.Gpus:N0} GPUs), {r.Matcher} with {r.Policy}, {r.Ranking}, {r.Store}")
            .AddColumns("durable placements/s", "placements", "conflicts", "decision p50", "decision p99", "allocated", "seconds");
        t.AddRow(
            r.PlacementsPerSecond.ToString("N0", inv),
            r.Placements.ToString("N0", inv),
            r.Conflicts.ToString("N0", inv),
            r.DecisionP50Ms.ToString("0.000", inv) + " ms",
            r.DecisionP99Ms.ToString("0.000", inv) + " ms",
            r.AllocatedShare.ToString("P1", inv),
            r.Seconds.ToString("0.00", inv));
        AnsiConsole.Write(t);
    }
}
