using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Bench;

/// <summary><c>gpunet bench heartbeat-agents</c> (hidden): the agents of <c>gpunet bench heartbeats</c> in a process of
/// their own, as real agents are, so that the coordinator's heap, collections and JIT are the coordinator's alone.
/// Driven by its parent: it answers with one JSON line per event on standard output and takes its next step from a
/// line on standard input; the end of standard input (the parent gone) stops it.</summary>
internal sealed class BenchHeartbeatAgentsCommand : AsyncCommand<BenchHeartbeatAgentsCommand.Settings>
{
    /// <summary>What the parent writes to go on: register the agents, then drive them.</summary>
    public const string Register = "register", Drive = "drive";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public sealed class Settings : BenchHeartbeatsCommand.Settings
    {
        [CommandOption("--url <URL>")]
        public string[] Urls { get; init; } = [];

        public override ValidationResult Validate() =>
            Urls.Length == 0 ? ValidationResult.Error("--url: the coordinators' agent URLs") : base.Validate();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        using var interrupt = new Interrupt(cancellationToken);
        using var orphaned = CancellationTokenSource.CreateLinkedTokenSource(interrupt.Token);
        var ct = orphaned.Token;
        var steps = Channel.CreateUnbounded<string>();
        _ = Task.Run(async () =>
        {
            while (await Console.In.ReadLineAsync(CancellationToken.None) is { } line)
                steps.Writer.TryWrite(line.Trim());
            await orphaned.CancelAsync();
        }, CancellationToken.None);

        async Task Await(string step)
        {
            var line = await steps.Reader.ReadAsync(ct);
            if (line != step)
                throw new InvalidOperationException($"expected '{step}' from the benchmark, got '{line}'");
        }

        var channels = s.Urls.SelectMany(u => HeartbeatLoad.Channels(new Uri(u), s.Connections)).ToArray();
        try
        {
            var agents = await HeartbeatLoad.AgentsAsync(s.Hosts, ct);
            Emit(new { @event = "ready" });
            await Await(Register);

            var every = Math.Max(1, s.Hosts / 100);
            var done = 0;
            var use = ProcessUse.Start();
            var clock = Stopwatch.StartNew();
            var calls = await HeartbeatLoad.RegisterAllAsync(s, agents, channels, ct, () =>
            {
                if (Interlocked.Increment(ref done) % every == 0)
                    Emit(new { @event = "progress", done = Volatile.Read(ref done) });
            });
            var seconds = clock.Elapsed.TotalSeconds;
            Emit(new { @event = "registered", seconds, process = use.Stop() });
            agents = null;
            await Await(Drive);

            var driving = ProcessUse.Start();
            var (_, _, p50, p99, samples) = await HeartbeatLoad.DriveAsync(s, calls, () => 0, ct, driving,
                measuring => Emit(new { @event = measuring ? "measuring" : "measured" }));
            foreach (var c in calls)
                c.Dispose();
            Emit(new { @event = "done", p50Ms = samples == 0 ? (double?)null : p50, p99Ms = samples == 0 ? (double?)null : p99, samples, process = driving.Result });
            return 0;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            AnsiConsole.MarkupLine("[red]the benchmark that drove these agents is gone[/]");
            return 1;
        }
        finally
        {
            foreach (var ch in channels)
                ch.Dispose();
        }
    }

    private static void Emit(object e) => Console.Out.WriteLine(JsonSerializer.Serialize(e, JsonOptions));
}
