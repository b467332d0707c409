using System.ComponentModel;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Gpunet.Coordinator;
using Gpunet.Coordinator.Agents;
using Gpunet.Protocol;
using Gpunet.Protocol.Bench;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Bench;

/// <summary><c>gpunet bench heartbeats</c>: N agents, each on its own authenticated gRPC stream, heartbeating
/// as fast as the system takes it into a real coordinator with its real store; prints heartbeats/s and latency.</summary>
internal sealed class BenchHeartbeatsCommand : AsyncCommand<BenchHeartbeatsCommand.Settings>
{
    // camelCase also for the nested figures (spans, process use), as the top level is written.
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public class Settings : CommandSettings
    {
        [CommandOption("--hosts <N>")]
        [Description("Simulated agents, one stream each. Default 10000")]
        public int Hosts { get; init; } = 10_000;

        [CommandOption("--seconds <S>")]
        [Description("Measured seconds, after a warm-up. Default 20")]
        public int Seconds { get; init; } = 20;

        [CommandOption("--warmup <S>")]
        [Description("Seconds of load before measuring. Default 3")]
        public int Warmup { get; init; } = 3;

        [CommandOption("--connections <N>")]
        [Description("HTTP/2 connections the streams share. Default 4")]
        public int Connections { get; init; } = 4;

        [CommandOption("--in-flight <N>")]
        [Description("Registrations in flight at once while the agents connect (a restarted coordinator's agents all reconnect within their retry jitter). Default 1000")]
        public int InFlight { get; init; } = 1000;

        [CommandOption("--ack-every <N>")]
        [Description("One heartbeat in N asks for an ack; their round trips give the latency figures. Default 16")]
        public int AckEvery { get; init; } = 16;

        [CommandOption("--rate <PER_SECOND>")]
        [Description("Pace the agents to this many heartbeats/s in total (each agent every hosts/rate seconds); default 0: as fast as the system takes them")]
        public double Rate { get; init; }

        [CommandOption("--db <DB>")]
        [Description("Store; default a fresh SQLite file in a temporary directory")]
        public string? Db { get; init; }

        [CommandOption("--coordinators <N>")]
        [Description("Coordinators over one store (give --db for PostgreSQL), the agents spread across them; heartbeats/s counts them all. Default 1")]
        public int Coordinators { get; init; } = 1;

        [CommandOption("--agents <WHERE>")]
        [Description("Where the agents run: process (default: a process of their own, as real agents are; the coordinator's heap, collections, JIT and processor time are then its own, and the agents' are reported apart) or in-process (beside the coordinator, sharing its heap: their collections pause it too)")]
        public string Agents { get; init; } = "process";

        /// <summary>Whether the agents run in a process of their own.</summary>
        public bool AgentsApart => Agents == "process";

        [CommandOption("--bare")]
        [Description("Also measure bare gRPC streaming (nothing done per message) with the same load, for comparison")]
        public bool Bare { get; init; }

        [CommandOption("--json")]
        [Description("Print one JSON object")]
        public bool Json { get; init; }

        public override ValidationResult Validate() =>
            Hosts is < 1 or > 200_000 ? ValidationResult.Error("--hosts: between 1 and 200000")
            : Seconds is < 1 or > 3600 ? ValidationResult.Error("--seconds: between 1 and 3600")
            : Warmup is < 0 or > 600 ? ValidationResult.Error("--warmup: between 0 and 600")
            : Connections is < 1 or > 256 ? ValidationResult.Error("--connections: between 1 and 256")
            : Coordinators is < 1 or > 16 ? ValidationResult.Error("--coordinators: between 1 and 16")
            : AckEvery < 1 ? ValidationResult.Error("--ack-every: at least 1")
            : InFlight is < 1 or > 200_000 ? ValidationResult.Error("--in-flight: between 1 and 200000")
            : Rate < 0 ? ValidationResult.Error("--rate: 0 (unpaced) or more")
            : Agents is not ("process" or "in-process") ? ValidationResult.Error("--agents: process or in-process")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        using var interrupt = new Interrupt(cancellationToken);
        var ct = interrupt.Token;
        var data = Path.Combine(Path.GetTempPath(), "gpunet-bench-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        try
        {
            var result = await RunCoordinatorAsync(s, data, ct);
            BenchResult? bare = s.Bare ? await RunBareAsync(s, ct) : null;
            var report = new
            {
                benchmark = "heartbeats",
                hosts = s.Hosts,
                coordinators = s.Coordinators,
                agents = s.Agents,
                connections = s.Connections,
                inFlight = s.InFlight,
                seconds = s.Seconds,
                store = result.Store,
                rate = s.Rate > 0 ? s.Rate : (double?)null,
                heartbeats = result.Messages,
                heartbeatsPerSecond = Math.Round(result.PerSecond),
                // None without samples (a short run at a slow rate: at --rate 10000 over 100,000 hosts a host's 16th
                // heartbeat, the first to ask for an ack, comes after 160 s; give --ack-every 1).
                p50Ms = result.Samples == 0 ? (double?)null : Math.Round(result.P50Ms, 2),
                p99Ms = result.Samples == 0 ? (double?)null : Math.Round(result.P99Ms, 2),
                latencySamples = result.Samples,
                registrationSeconds = Math.Round(result.SetupSeconds, 2),
                registrationProcess = result.Registration,
                registrationSpans = result.Spans,
                heartbeatProcess = result.Heartbeats,
                agentsRegistrationProcess = result.AgentsRegistration,
                agentsHeartbeatProcess = result.AgentsHeartbeats,
                bareMessagesPerSecond = bare is null ? (double?)null : Math.Round(bare.PerSecond),
                bareP99Ms = bare is null ? (double?)null : Math.Round(bare.P99Ms, 2),
                ratioToBare = bare is null ? (double?)null : Math.Round(result.PerSecond / bare.PerSecond, 3),
                cores = Environment.ProcessorCount,
            };
            if (s.Json)
            {
                Console.WriteLine(JsonSerializer.Serialize(report, JsonOptions));
            }
            else
            {
                var t = new Table().RoundedBorder().Title("[bold]gpunet bench heartbeats[/]").AddColumns("", "");
                t.AddRow("hosts (streams)", $"{s.Hosts:N0} over {s.Connections} HTTP/2 connections" + (s.Coordinators > 1 ? $" to each of {s.Coordinators} coordinators" : ""));
                t.AddRow("store", result.Store);
                t.AddRow("registration", $"{result.SetupSeconds:0.0} s");
                t.AddRow("[bold]heartbeats/s[/]", $"[bold]{result.PerSecond:N0}[/]");
                t.AddRow("ack round trip p50 / p99", $"{result.P50Ms:0.00} ms / {result.P99Ms:0.00} ms");
                if (bare is not null)
                    t.AddRow("bare gRPC messages/s", $"{bare.PerSecond:N0} (coordinator at {result.PerSecond / bare.PerSecond:P0})");
                AnsiConsole.Write(t);
            }

            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private sealed record BenchResult(long Messages, double PerSecond, double P50Ms, double P99Ms, int Samples, double SetupSeconds, string Store)
    {
        /// <summary>What the process (the coordinator, and the agents where they run in it) spent while registering,
        /// and its memory after it.</summary>
        public ProcessUseResult? Registration { get; init; }

        /// <summary>What the process spent while measuring heartbeats.</summary>
        public ProcessUseResult? Heartbeats { get; init; }

        /// <summary>What the agents' own process spent while registering; null where they run in the coordinator's.</summary>
        public ProcessUseResult? AgentsRegistration { get; init; }

        /// <summary>What the agents' own process spent while measuring heartbeats.</summary>
        public ProcessUseResult? AgentsHeartbeats { get; init; }

        /// <summary>Where registration's time went, from the coordinator's own spans.</summary>
        public SortedDictionary<string, SpanSummary>? Spans { get; init; }
    }

    private static async Task<BenchResult> RunCoordinatorAsync(Settings s, string data, CancellationToken ct)
    {
        // Several coordinators share the store (and, on SQLite, the data folder with it), as one network does.
        var apps = new List<WebApplication>();
        var channels = new List<GrpcChannel>();
        var agentUrls = new List<string>();
        try
        {
            for (var c = 0; c < s.Coordinators; c++)
            {
                var app = CoordinatorApp.Build("http://127.0.0.1:0", o =>
                {
                    o.Store.DataDirectory = data;
                    o.Store.Database = s.Db;
                    o.Access.NetworkId = "bench";
                    o.Hosts.HeartbeatInterval = TimeSpan.FromSeconds(10);
                    // The bench's agents are fresh anonymous wallets: count them as KYC-approved, as a real network's
                    // operators are, so that their hosts become Ready (and are indexed) as before compliance.
                    o.Compliance.ApproveAllKyc = true;
                    // They all run here, on loopback: locate the public address each declares (its devnet site's), as the devnet does.
                    o.Compliance.TrustDeclaredLocation = true;
                    // Every agent here connects from 127.0.0.1: one source may hold as many handshakes as are in flight
                    // (a real network's agents come from as many addresses as hosts).
                    o.Access.AgentHandshakesPerClient = Math.Max(o.Access.AgentHandshakesPerClient, s.InFlight);
                    o.Access.MaxOpenChallenges = Math.Max(o.Access.MaxOpenChallenges, s.InFlight);
                }, BenchLogging.Quiet);
                apps.Add(app);
                await app.StartAsync(ct);
                agentUrls.Add(app.Services.GetRequiredService<CoordinatorEndpoints>().AgentUrl);
            }

            var counters = apps.Select(a => a.Services.GetRequiredService<HeartbeatCounter>()).ToList();
            var store = apps[0].Services.GetRequiredService<Gpunet.Coordinator.Storage.StoreConnection>().Provider.ToString().ToLowerInvariant();
            if (s.AgentsApart)
                return await DriveApartAsync(s, agentUrls, () => counters.Sum(c => c.Count), store, ct);

            // Agent i streams to coordinator (i mod N·C) / C over one of its C connections.
            foreach (var url in agentUrls)
                channels.AddRange(HeartbeatLoad.Channels(new Uri(url), s.Connections));
            // The agents' keys and hardware are made before the clock starts: a restarted coordinator's agents have theirs.
            var agents = await HeartbeatLoad.AgentsAsync(s.Hosts, ct);
            using var spans = new SpanTimes(Gpunet.Coordinator.Observability.CoordinatorTelemetry.SourceName) { Recording = true };
            var use = ProcessUse.Start();
            var setup = Stopwatch.StartNew();
            var calls = await HeartbeatLoad.RegisterAllAsync(s, agents, [.. channels], ct);
            var setupSeconds = setup.Elapsed.TotalSeconds;
            var registration = use.Stop();
            spans.Recording = false;
            agents = null;
            var driving = ProcessUse.Start();
            var (messages, perSecond, p50, p99, samples) = await HeartbeatLoad.DriveAsync(s, calls, () => counters.Sum(c => c.Count), ct, driving);
            foreach (var c in calls)
                c.Dispose();
            return new BenchResult(messages, perSecond, p50, p99, samples, setupSeconds, store)
            {
                Registration = registration, Heartbeats = driving.Result, Spans = spans.Summary(),
            };
        }
        finally
        {
            foreach (var ch in channels)
                ch.Dispose();
            foreach (var app in apps)
            {
                await app.StopAsync(CancellationToken.None);
                await app.DisposeAsync();
            }
        }
    }

    /// <summary>The agents in a process of their own (<see cref="HeartbeatAgentsProcess"/>): this process, the
    /// coordinators', measures what they spend and counts what they receive between the agents' events.</summary>
    private static async Task<BenchResult> DriveApartAsync(Settings s, IEnumerable<string> agentUrls, Func<long> received, string store, CancellationToken ct)
    {
        using var agents = HeartbeatAgentsProcess.Start(s, agentUrls);
        await BenchProgress.RunAsync(s.Json, "making the agents' keys and hosts", 1, async tick =>
        {
            await agents.NextAsync("ready", ct);
            tick();
        });

        using var spans = new SpanTimes(Gpunet.Coordinator.Observability.CoordinatorTelemetry.SourceName) { Recording = true };
        var use = ProcessUse.Start();
        await agents.SendAsync(BenchHeartbeatAgentsCommand.Register);
        var registered = default(JsonElement);
        await BenchProgress.RunAsync(s.Json, "registering agents (sign + verify + store)", s.Hosts, async tick =>
        {
            var shown = 0;
            registered = await agents.NextAsync("registered", ct, e =>
            {
                for (var done = e.GetProperty("done").GetInt32(); shown < done; shown++)
                    tick();
            });
        });
        var registration = use.Stop();
        spans.Recording = false;

        var driving = ProcessUse.Start();
        await agents.SendAsync(BenchHeartbeatAgentsCommand.Drive);
        await BenchProgress.RunAsync(s.Json, $"warming up {s.Warmup} s", 1, async tick =>
        {
            await agents.NextAsync("measuring", ct);
            tick();
        });
        var start = received();
        driving.Restart();
        var clock = Stopwatch.StartNew();
        await agents.NextAsync("measured", ct);
        var messages = received() - start;
        var elapsed = clock.Elapsed.TotalSeconds;
        var heartbeats = driving.Stop();
        var done = await agents.NextAsync("done", ct);

        static double Ms(JsonElement e) => e.ValueKind == JsonValueKind.Number ? e.GetDouble() : double.NaN;
        return new BenchResult(messages, messages / elapsed, Ms(done.GetProperty("p50Ms")), Ms(done.GetProperty("p99Ms")),
            done.GetProperty("samples").GetInt32(), registered.GetProperty("seconds").GetDouble(), store)
        {
            Registration = registration,
            Heartbeats = heartbeats,
            Spans = spans.Summary(),
            AgentsRegistration = registered.GetProperty("process").Deserialize<ProcessUseResult>(),
            AgentsHeartbeats = done.GetProperty("process").Deserialize<ProcessUseResult>(),
        };
    }

    private static async Task<BenchResult> RunBareAsync(Settings s, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [CoordinatorApp.WithoutConfigReload] });
        BenchLogging.Quiet(builder.Logging);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.ConfigureEndpointDefaults(e => e.Protocols = HttpProtocols.Http2);
            k.Limits.Http2.MaxStreamsPerConnection = 1_000_000;
            k.Limits.Http2.InitialConnectionWindowSize = 4 * 1024 * 1024;
            k.Limits.Http2.InitialStreamWindowSize = 256 * 1024;
        });
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<BareCounter>();
        await using var app = builder.Build();
        app.MapGrpcService<BareStreamService>();
        await app.StartAsync(ct);
        var counter = app.Services.GetRequiredService<BareCounter>();
        var channels = HeartbeatLoad.Channels(new Uri(app.Urls.First()), s.Connections);
        try
        {
            var calls = new AsyncDuplexStreamingCall<AgentMessage, CoordinatorMessage>[s.Hosts];
            for (var i = 0; i < s.Hosts; i++)
                calls[i] = new BareStream.BareStreamClient(channels[i % channels.Length]).Stream(cancellationToken: ct);
            var (messages, perSecond, p50, p99, samples) = await HeartbeatLoad.DriveAsync(s, calls, () => counter.Count, ct);
            foreach (var c in calls)
                c.Dispose();
            await app.StopAsync(CancellationToken.None);
            return new BenchResult(messages, perSecond, p50, p99, samples, 0, "none");
        }
        finally
        {
            foreach (var ch in channels)
                ch.Dispose();
        }
    }
}
