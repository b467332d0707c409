using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime;
using System.Security.Cryptography;
using System.Text.Json;
using Gpunet.Cli.Client;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Bench;

/// <summary><c>gpunet bench rent</c>: real orders through the REST API, the matcher, the store, the agent stream and a
/// real process start on simulated hosts; prints orders/s and the time from an order to its workload running, and
/// where that time goes.</summary>
/// <remarks>Closed loop: each of <c>--concurrency</c> customers orders, waits for its lease to end (the workload is
/// <c>true</c>), and orders again: many customers at once, as a network has them (one customer's own orders are
/// admitted one at a time, under its queue cap). Latency is read from the lease's own times (accepted, placed, started:
/// the agent's report of the process start), against the moment the request was sent, all on this machine's clock.</remarks>
internal sealed class BenchRentCommand : AsyncCommand<BenchRentCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--orders <N>")]
        [Description("Orders measured, after the warm-up. Default 1000")]
        public int Orders { get; init; } = 1_000;

        [CommandOption("--warmup <N>")]
        [Description("Orders placed before measuring. Default: until the runtime has compiled its hot paths (rounds of "
            + "500 orders, or 10 per customer, until one has the JIT compile fewer than 200 methods; at most 20000). A small N "
            + "measures a coordinator just started")]
        public int? Warmup { get; init; }

        [CommandOption("--concurrency <C>")]
        [Description("Customers ordering at once, one order in flight each (each waits for its lease to end before the next). Default 50")]
        public int Concurrency { get; init; } = 50;

        [CommandOption("--hosts <N>")]
        [Description("Simulated hosts, in-process agents with the devnet's GPUs (8 or so each). Default 16")]
        public int Hosts { get; init; } = 16;

        [CommandOption("--db <DB>")]
        [Description("Store; default a fresh SQLite file in a temporary directory")]
        public string? Db { get; init; }

        [CommandOption("--unsafe-process-runtime")]
        [Description("Where bubblewrap cannot sandbox process workloads, run them as this process's user (development only)")]
        public bool UnsafeProcessRuntime { get; init; }

        [CommandOption("--json")]
        [Description("Print one JSON object")]
        public bool Json { get; init; }

        public override ValidationResult Validate() =>
            Orders is < 1 or > 1_000_000 ? ValidationResult.Error("--orders: between 1 and 1000000")
            : Concurrency is < 1 or > 1_000 ? ValidationResult.Error("--concurrency: between 1 and 1000")
            : Warmup is < 0 or > 1_000_000 ? ValidationResult.Error("--warmup: between 0 and 1000000")
            : Hosts is < 1 or > 2_000 ? ValidationResult.Error("--hosts: between 1 and 2000")
            : Db is not null && string.IsNullOrWhiteSpace(Db) ? ValidationResult.Error("--db: a SQLite file or a PostgreSQL connection string")
            : ValidationResult.Success();
    }

    /// <summary>One measured order: when it was sent and the lease's own times, in Unix milliseconds.</summary>
    private readonly record struct Sample(double SentMs, double AcceptedMs, double? PlacedMs, double? StartedMs, string State);

    public override async Task<int> ExecuteAsync(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        using var interrupt = new Interrupt(cancellationToken);
        var ct = interrupt.Token;
        var data = Path.Combine(Path.GetTempPath(), "gpunet-bench-rent-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        using var spans = new SpanTimes(Gpunet.Coordinator.Observability.CoordinatorTelemetry.SourceName, Gpunet.Agent.AgentTelemetry.SourceName);
        await using var network = await RentNetwork.StartAsync(s.Hosts, s.Db, data, s.UnsafeProcessRuntime, s.Json, ct);
        try
        {
            var customers = new List<CoordinatorClient>();
            await BenchProgress.RunAsync(s.Json, "signing in customers", s.Concurrency, async tick =>
            {
                for (var i = 0; i < s.Concurrency; i++)
                {
                    customers.Add(await network.CustomerAsync(i, ct));
                    tick();
                }
            });
            var warmup = await WarmUpAsync(s, network, customers, ct);
            var measuring = ProcessUse.Start();
            spans.Recording = true;
            var loadBefore = network.MarketLoad();
            var clock = Stopwatch.StartNew();
            List<Sample> samples = [];
            await BenchProgress.RunAsync(s.Json, $"renting ({s.Concurrency} in flight)", s.Orders, async tick =>
                samples = await RunAsync(network, customers, s.Orders, tick, ct));
            foreach (var c in customers)
                c.Dispose();
            var seconds = clock.Elapsed.TotalSeconds;
            spans.Recording = false;
            var loop = network.MarketLoad().ToDictionary(
                kv => kv.Key, kv => new LoopWork(kv.Value.Count - loadBefore[kv.Key].Count, Math.Round((kv.Value.Seconds - loadBefore[kv.Key].Seconds) * 1000, 1)));
            var use = measuring.Stop();
            var jit = new JitWork(warmup, use.JitMethods, use.JitMs);
            Report(s, network.Store, samples, seconds, spans.Summary(), loop, jit, use);
            return samples.Any(x => x.StartedMs is null) ? 1 : 0;
        }
        finally
        {
            await network.DisposeAsync();
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Orders placed before measuring: <c>--warmup</c>, or rounds until the runtime's JIT has compiled the hot
    /// paths. A process just started runs its code unoptimised at first and recompiles what is hot on a background
    /// thread, for tens of seconds on this machine (measured: about 600 methods a second, 25 to 35 % of both cores);
    /// a coordinator that has run a while does not pay that.</summary>
    private static async Task<int> WarmUpAsync(Settings s, RentNetwork network, List<CoordinatorClient> customers, CancellationToken ct)
    {
        if (s.Warmup is { } fixedCount)
        {
            await BenchProgress.RunAsync(s.Json, "warming up", fixedCount, async tick => await RunAsync(network, customers, fixedCount, tick, ct));
            return fixedCount;
        }

        var round = Math.Max(WarmRoundOrders, 10 * s.Concurrency);
        var placed = 0;
        while (placed < MaxWarmupOrders)
        {
            var before = JitInfo.GetCompiledMethodCount();
            await BenchProgress.RunAsync(s.Json, $"warming up (round {placed / round + 1})", round,
                async tick => await RunAsync(network, customers, round, tick, ct));
            placed += round;
            if (JitInfo.GetCompiledMethodCount() - before < SettledMethodsPerRound)
                break;
        }

        return placed;
    }

    private const int WarmRoundOrders = 500;
    private const int SettledMethodsPerRound = 200;
    private const int MaxWarmupOrders = 20_000;

    /// <summary>Places <paramref name="orders"/> orders, one in flight per customer, each followed to its end.</summary>
    private static async Task<List<Sample>> RunAsync(RentNetwork network, List<CoordinatorClient> customers, int orders, Action tick,
        CancellationToken ct)
    {
        var samples = new ConcurrentBag<Sample>();
        var issued = 0;
        var order = new OrderRequest
        {
            Count = 1, MaxPrice = 100, Command = ["true"], Restart = "never", QueueTimeoutMinutes = 1,
        };
        await Parallel.ForAsync(0, customers.Count, new ParallelOptions { MaxDegreeOfParallelism = customers.Count, CancellationToken = ct }, async (c, _) =>
        {
            var customer = customers[c];
            while (Interlocked.Increment(ref issued) <= orders)
            {
                var sent = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
                var placed = await customer.PostAsync<OrderView>("/api/v1/orders", order, ct);
                await network.EndedAsync(placed.LeaseId, ct);
                var lease = await customer.GetAsync<LeaseView>($"/api/v1/leases/{placed.LeaseId}", ct);
                samples.Add(new Sample(sent, lease.CreatedAt.ToUnixTimeMilliseconds(), lease.PlacedAt?.ToUnixTimeMilliseconds(),
                    lease.StartedAt?.ToUnixTimeMilliseconds(), lease.State));
                tick();
            }
        });
        return [.. samples];
    }

    /// <summary>The warm-up's orders, and what the JIT compiled while the orders were measured (near nothing once warm).</summary>
    private sealed record JitWork(int WarmupOrders, long MethodsCompiled, double CompileMs);

    /// <summary>What the market's loop ran of one kind during the measured orders: pieces and milliseconds busy.</summary>
    private sealed record LoopWork(long Count, double BusyMs);

    private static void Report(Settings s, string store, List<Sample> samples, double seconds, SortedDictionary<string, SpanSummary> spans,
        Dictionary<string, LoopWork> loop, JitWork jit, ProcessUseResult process)
    {
        var started = samples.Where(x => x.StartedMs is not null && x.PlacedMs is not null).ToList();
        static double P(IEnumerable<double> values, double q) => Percentiles.Of(values, q);
        var toRunning = started.Select(x => x.StartedMs!.Value - x.SentMs).ToList();
        var accept = started.Select(x => x.AcceptedMs - x.SentMs).ToList();
        var place = started.Select(x => x.PlacedMs!.Value - x.AcceptedMs).ToList();
        var start = started.Select(x => x.StartedMs!.Value - x.PlacedMs!.Value).ToList();
        var report = new
        {
            benchmark = "rent",
            orders = samples.Count,
            concurrency = s.Concurrency,
            hosts = s.Hosts,
            store,
            seconds = Math.Round(seconds, 2),
            ordersPerSecond = Math.Round(samples.Count / seconds, 1),
            orderToRunningP50Ms = Math.Round(P(toRunning, 0.50), 1),
            orderToRunningP99Ms = Math.Round(P(toRunning, 0.99), 1),
            // Where the time goes: request to stored order (the API, checks, escrow hold), stored to placed (the market's
            // queue, the matcher, the placement's commit), placed to running (the agent stream, the process start).
            acceptP50Ms = Math.Round(P(accept, 0.50), 1),
            acceptP99Ms = Math.Round(P(accept, 0.99), 1),
            placeP50Ms = Math.Round(P(place, 0.50), 1),
            placeP99Ms = Math.Round(P(place, 0.99), 1),
            startP50Ms = Math.Round(P(start, 0.50), 1),
            startP99Ms = Math.Round(P(start, 0.99), 1),
            notStarted = samples.Count - started.Count,
            notStartedStates = samples.Where(x => x.StartedMs is null).GroupBy(x => x.State).ToDictionary(g => g.Key, g => g.Count()),
            // The coordinator's and agents' own spans (gpunet.order.admission, .submit, gpunet.placement, .commit, the
            // dispatch, the agent's lease and workload start), by name.
            spans,
            // The market's one loop over the measured orders: the share of the run it was busy (near 1: orders wait for
            // it), and what with (submit, reports, tick, cancel, query).
            marketLoopBusyShare = Math.Round(loop.Values.Sum(w => w.BusyMs) / 1000 / seconds, 3),
            marketLoop = loop,
            cores = Environment.ProcessorCount,
            // Whether the measured orders ran warm: the warm-up's orders, and what the JIT compiled meanwhile (a cold
            // process compiles thousands of methods, about a millisecond each, on a background thread).
            warmupOrders = jit.WarmupOrders,
            jitMethodsWhileMeasuring = jit.MethodsCompiled,
            jitMsWhileMeasuring = jit.CompileMs,
            // What the process (coordinator and agents) spent over the measured orders: processor time, collections and
            // the time they stopped it (a collection's pause is felt by every order in flight), memory at the end.
            measuringProcess = process,
        };
        if (s.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(report));
            return;
        }

        var t = new Table().RoundedBorder().Title("[bold]gpunet bench rent[/]").AddColumns("", "p50", "p99");
        t.AddRow("orders", $"{report.orders:N0} on {s.Hosts} hosts, {s.Concurrency} in flight, {store}", "");
        t.AddRow("[bold]orders/s[/]", $"[bold]{report.ordersPerSecond:N1}[/]", "");
        t.AddRow("[bold]order to running[/]", $"[bold]{report.orderToRunningP50Ms:0.0} ms[/]", $"[bold]{report.orderToRunningP99Ms:0.0} ms[/]");
        t.AddRow("  request to stored order", $"{report.acceptP50Ms:0.0} ms", $"{report.acceptP99Ms:0.0} ms");
        t.AddRow("  stored to placed", $"{report.placeP50Ms:0.0} ms", $"{report.placeP99Ms:0.0} ms");
        t.AddRow("  placed to process running", $"{report.startP50Ms:0.0} ms", $"{report.startP99Ms:0.0} ms");
        foreach (var (name, span) in spans)
            t.AddRow($"  [grey]span {name.EscapeMarkup()}[/]", $"[grey]{span.P50Ms:0.0} ms[/]", $"[grey]{span.P99Ms:0.0} ms ({span.Count:N0})[/]");
        t.AddRow("warm-up", $"{jit.WarmupOrders:N0} orders", "");
        t.AddRow("  [grey]JIT while measuring[/]", $"[grey]{jit.MethodsCompiled:N0} methods, {jit.CompileMs:N0} ms[/]", "");
        t.AddRow("  [grey]GC while measuring[/]", $"[grey]{process.Gen0 + process.Gen1 + process.Gen2:N0} collections, {process.PauseMs:N0} ms paused[/]",
            $"[grey]longest {process.LongestPauseMs:N0} ms[/]");
        t.AddRow("market loop busy", $"{report.marketLoopBusyShare:P0} of the run", "");
        foreach (var (kind, work) in loop.Where(kv => kv.Value.Count > 0))
            t.AddRow($"  [grey]{kind}[/]", $"[grey]{work.Count:N0} × {work.BusyMs / work.Count:0.0} ms[/]", "");
        if (report.notStarted > 0)
            t.AddRow("[red]never ran[/]", string.Join(", ", report.notStartedStates.Select(kv => $"{kv.Value} {kv.Key}")), "");
        AnsiConsole.Write(t);
    }
}
