using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Gpunet.Simulation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet sim chaos</c>: the seeded whole-network simulation under faults, invariants checked after every
/// step. Exit status 0 when every invariant held, 1 when one broke (its seed and step are printed).</summary>
internal sealed class SimChaosCommand : Command<SimChaosCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--seed <N>")]
        [Description("Seed of every random choice; the same seed and steps replay the same run. Default 1")]
        public ulong Seed { get; init; } = 1;

        [CommandOption("--steps <N>")]
        [Description("Steps to run (one step: one message, timer or fault). Default 1000000")]
        public long Steps { get; init; } = 1_000_000;

        [CommandOption("--hosts <N>")]
        [Description("Hosts, each with its agent. Default 8")]
        public int Hosts { get; init; } = 8;

        [CommandOption("--gpus <N>")]
        [Description("GPUs per host. Default 4")]
        public int Gpus { get; init; } = 4;

        [CommandOption("--customers <N>")]
        [Description("Customers placing orders. Default 4")]
        public int Customers { get; init; } = 4;

        [CommandOption("--no-faults")]
        [Description("The same network with nothing going wrong")]
        public bool NoFaults { get; init; }

        [CommandOption("--json")]
        [Description("Print one JSON object")]
        public bool Json { get; init; }

        public ChaosOptions Options() => new()
        {
            Seed = Seed,
            Steps = Steps,
            Hosts = Hosts,
            GpusPerHost = Gpus,
            Customers = Customers,
            Faults = !NoFaults,
        };

        public override ValidationResult Validate() =>
            Options().Validate() is { Count: > 0 } errors ? ValidationResult.Error(string.Join("; ", errors)) : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        var options = s.Options();
        var clock = Stopwatch.StartNew();
        ChaosReport report;
        if (s.Json || Console.IsErrorRedirected)
        {
            report = ChaosSimulation.Run(options, null, cancellationToken);
        }
        else
        {
            report = null!;
            AnsiConsole.Progress().AutoClear(true).Start(p =>
            {
                var task = p.AddTask($"seed {s.Seed}: {s.Steps:N0} steps", maxValue: s.Steps);
                report = ChaosSimulation.Run(options, new Progress<long>(n => task.Value = n), cancellationToken);
            });
        }

        var seconds = clock.Elapsed.TotalSeconds;
        if (s.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                simulation = "chaos",
                seed = s.Seed,
                steps = report.Steps,
                passed = report.Passed,
                violation = report.Violation is { } v ? new { v.Invariant, v.Step, v.Detail, simulatedSeconds = v.SimulatedMs / 1000.0, replay = Replay(s, v) } : null,
                simulatedSeconds = report.SimulatedMs / 1000.0,
                seconds = Math.Round(seconds, 3),
                stepsPerSecond = Math.Round(report.Steps / Math.Max(seconds, 1e-9)),
                counters = report.Counters,
            }, JsonOptions));
            return report.Passed ? 0 : 1;
        }

        var c = report.Counters;
        var t = new Table().RoundedBorder().HideHeaders()
            .Title($"[bold]gpunet sim chaos[/]: seed {s.Seed}, {report.Steps:N0} steps, {report.SimulatedMs / 3_600_000.0:0.00} simulated hours in {seconds:0.0} s")
            .AddColumns("", "");
        Row(t, "faults", $"{c.CoordinatorCrashes:N0} coordinator kills, {c.AgentCrashes:N0} agent kills, {c.AgentFreezes:N0} freezes, {c.Partitions:N0} partitions, {c.ClockJumps:N0} clock jumps, {c.StoreFaultSpells:N0} bad-store spells");
        Row(t, "network", $"{c.ConnectionsBroken:N0} streams broken, {c.MessagesLost:N0} messages lost, {c.MessagesDuplicated:N0} duplicated, {c.MessagesLate:N0} late");
        Row(t, "store", $"{c.WritesFailed:N0} writes failed, {c.WritesSlow:N0} slow");
        Row(t, "orders", $"{c.OrdersAccepted:N0} accepted, {c.OrdersRefused:N0} refused; {c.Placements:N0} placements, {c.LeasesMoved:N0} moves, {c.StartsRenewed:N0} starts renewed, {c.LeasesEnded:N0} ended");
        Row(t, "usage", $"{c.UsageAccepted:N0} reports stored, {c.UsageReplayed:N0} resends answered, {c.UsageRefused:N0} refused");
        Row(t, "billing", $"{c.BilledMs / 1000.0:N1} s billed of {c.HeardReportedMs / 1000.0:N1} s heard and reported ({c.UnbilledHeardMs / 1000.0:N1} s lost to restarts); {c.ChargedSeconds:N0} s charged in {c.EpochsSettled:N0} epochs");
        Row(t, "slashes", $"{c.Slashes:N0}, each of a host at fault");
        AnsiConsole.Write(t);
        if (report.Violation is { } violation)
        {
            Console.Error.WriteLine($"gpunet: invariant {violation.Invariant} broken at step {violation.Step:N0} (seed {violation.Seed}): {violation.Detail}");
            Console.Error.WriteLine($"replay: {Replay(s, violation)}");
            return 1;
        }

        Console.WriteLine("every invariant held after every step");
        return 0;
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private static void Row(Table t, string name, string value) => t.AddRow(name, Markup.Escape(value));

    private static string Replay(Settings s, ChaosViolation v) => string.Create(CultureInfo.InvariantCulture,
        $"gpunet sim chaos --seed {v.Seed} --steps {v.Step} --hosts {s.Hosts} --gpus {s.Gpus} --customers {s.Customers}{(s.NoFaults ? " --no-faults" : "")}");
}
