using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Gpunet.Core.Scheduling;
using Gpunet.Core.Scheduling.Traces;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Bench;

/// <summary><c>gpunet bench trace</c>: replays an Alibaba GPU-cluster trace through the real matcher core with each
/// placement policy; prints placed and failed pods, GPU demand placed, the allocation reached at the first failure
/// and placements per second.</summary>
internal sealed class BenchTraceCommand : Command<BenchTraceCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--nodes <FILE>")]
        [Description("Node list CSV (sn,cpu_milli,memory_mib,gpu,model)")]
        public string? Nodes { get; init; }

        [CommandOption("--pods <FILE>")]
        [Description("Pod list CSV (name,cpu_milli,memory_mib,num_gpu,gpu_milli[[,gpu_spec,...,creation_time,deletion_time]])")]
        public string? Pods { get; init; }

        [CommandOption("--policy <NAME>")]
        [Description("fgd, best-fit, random-fit, or all (default)")]
        public string Policy { get; init; } = "all";

        [CommandOption("--departures")]
        [Description("Pods leave at their deletion_time; default: they hold until the end (the paper's set-up)")]
        public bool Departures { get; init; }

        [CommandOption("--seed <N>")]
        [Description("Seed of random-fit. Default 1")]
        public ulong Seed { get; init; } = 1;

        [CommandOption("--fgd-target <SOURCE>")]
        [Description("The FGD policies' target workload: 'online' (default: learnt from the pods seen so far, after --history) or 'trace' (an ORACLE: the whole list being replayed, the paper's set-up, which no live network has)")]
        public string FgdTarget { get; init; } = "online";

        [CommandOption("--history <FILE>")]
        [Description("A pod list of past demand that the FGD policies start from before learning online (not the list replayed)")]
        public string? History { get; init; }

        [CommandOption("--json")]
        [Description("Print one JSON object")]
        public bool Json { get; init; }

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Nodes) ? ValidationResult.Error("--nodes: a node list file is required")
            : !File.Exists(Nodes) ? ValidationResult.Error($"--nodes: no such file: {Nodes}")
            : string.IsNullOrWhiteSpace(Pods) ? ValidationResult.Error("--pods: a pod list file is required")
            : !File.Exists(Pods) ? ValidationResult.Error($"--pods: no such file: {Pods}")
            : Policy != "all" && !PlacementPolicies.Names.Contains(Policy)
                ? ValidationResult.Error($"--policy: one of {string.Join(", ", PlacementPolicies.Names)}, all")
            : FgdTarget is not ("trace" or "online") ? ValidationResult.Error("--fgd-target: online or trace")
            : History is not null && !File.Exists(History) ? ValidationResult.Error($"--history: no such file: {History}")
            : History is not null && FgdTarget == "trace" ? ValidationResult.Error("--history: only with --fgd-target online (the oracle needs no history)")
            : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        IReadOnlyList<NodeSpec> nodes;
        IReadOnlyList<TracePod> pods;
        IReadOnlyList<TracePod> history = [];
        try
        {
            nodes = AlibabaGpuTrace.ParseNodes(File.ReadAllText(s.Nodes!), Path.GetFileName(s.Nodes!));
            pods = AlibabaGpuTrace.ParsePods(File.ReadAllText(s.Pods!), Path.GetFileName(s.Pods!));
            if (s.History is not null)
                history = AlibabaGpuTrace.ParsePods(File.ReadAllText(s.History), Path.GetFileName(s.History));
        }
        catch (TraceFormatException e)
        {
            throw new CliException(e.Message, e);
        }

        var timed = pods.Count > 0 && pods[0].CreationTime is not null;
        var departures = s.Departures && timed;
        if (s.Departures && !timed)
            Console.Error.WriteLine($"gpunet: {Path.GetFileName(s.Pods!)} has no time columns: pods hold until the end");
        var names = s.Policy == "all" ? PlacementPolicies.Names : [s.Policy];
        var target = TraceTarget.Describe(s.FgdTarget, s.History);
        var results = new List<(TraceReplayResult Result, double Seconds)>();
        foreach (var name in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Console.Error.WriteLine($"replaying {pods.Count:N0} pods on {nodes.Count:N0} nodes with {name}...");
            var policy = TraceTarget.Policy(name, s.Seed, s.FgdTarget == "trace" ? pods : null, history);
            var clock = Stopwatch.StartNew();
            var result = TraceReplay.Run(nodes, pods, policy, departures);
            results.Add((result, clock.Elapsed.TotalSeconds));
        }

        if (s.Json)
        {
            var report = new
            {
                benchmark = "trace",
                nodes = nodes.Count,
                gpus = nodes.Sum(n => n.GpuCount),
                pods = pods.Count,
                departures,
                fgdTarget = s.FgdTarget,
                targetWorkload = target,
                history = s.History is null ? null : Path.GetFileName(s.History),
                seed = s.Seed,
                policies = results.Select(r => new
                {
                    policy = r.Result.Policy,
                    placed = r.Result.Placed,
                    failed = r.Result.Failed,
                    gpuDemandPlacedShare = Math.Round(r.Result.GpuDemandPlacedShare, 4),
                    allocatedShareAtFirstFailure = r.Result.AllocatedShareAtFirstFailure is { } a ? Math.Round(a, 4) : (double?)null,
                    finalAllocatedShare = Math.Round(r.Result.FinalAllocatedShare, 4),
                    placementsPerSecond = Math.Round(r.Result.Decisions / r.Seconds),
                    seconds = Math.Round(r.Seconds, 3),
                }),
            };
            Console.WriteLine(JsonSerializer.Serialize(report));
            return 0;
        }

        var t = new Table().RoundedBorder()
            .Title($"[bold]gpunet bench trace[/]: {pods.Count:N0} pods on {nodes.Count:N0} nodes ({nodes.Sum(n => n.GpuCount):N0} GPUs), {(departures ? "with departures" : "pods hold until the end")}")
            .AddColumns("policy", "placed", "failed", "GPU demand placed", "allocated at first GPU failure", "placements/s");
        foreach (var (r, seconds) in results)
        {
            t.AddRow(
                r.Policy,
                r.Placed.ToString("N0", CultureInfo.InvariantCulture),
                r.Failed.ToString("N0", CultureInfo.InvariantCulture),
                r.GpuDemandPlacedShare.ToString("P2", CultureInfo.InvariantCulture),
                r.AllocatedShareAtFirstFailure is { } a ? a.ToString("P2", CultureInfo.InvariantCulture) : "no failure",
                (r.Decisions / seconds).ToString("N0", CultureInfo.InvariantCulture));
        }

        t.Caption($"FGD target workload: {target}");
        AnsiConsole.Write(t);
        return 0;
    }
}
