using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gpunet.Simulation.Verification;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Commands;

/// <summary><c>gpunet sim</c>: the seeded simulation of verification: cheating hosts, location spoofers and lazy
/// checkers against the core's assignment, capacity, location, majority, penalty, reputation and slashing rules, minute
/// by minute on a simulated clock. The same flags print the same figures.</summary>
internal sealed class SimVerificationCommand : Command<SimVerificationCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--hosts <N>")]
        [Description("Hosts. Default 200")]
        public int Hosts { get; init; } = 200;

        [CommandOption("--checkers <M>")]
        [Description("Checkers, at data-centre cities in different countries. Default 15")]
        public int Checkers { get; init; } = 15;

        [CommandOption("--cheaters <P>")]
        [Description("Share of hosts cheating on capacity or identity: slower cards, fewer GPUs, wrong answers, cloned fingerprints, double-listed GPUs. Default 0.1")]
        public double Cheaters { get; init; } = 0.1;

        [CommandOption("--location-spoofers <P>")]
        [Description("Share of hosts declaring a place 1,000 to 4,000 km from the truth. Default 0.05")]
        public double LocationSpoofers { get; init; } = 0.05;

        [CommandOption("--lazy-checkers <Q>")]
        [Description("Share of checkers that report pass without checking. Default 0.1")]
        public double LazyCheckers { get; init; } = 0.1;

        [CommandOption("--failing-checkers <Q>")]
        [Description("Share of checkers that report fail without checking (each fail splits a capacity panel until held back). Default 0")]
        public double FailingCheckers { get; init; }

        [CommandOption("--wary-lazy-checkers <Q>")]
        [Description("Share of checkers that are lazy but wary: they fail the coordinator's decoy honeypots, which they tell from hosts, and pass every other host unprobed. Default 0")]
        public double WaryLazyCheckers { get; init; }

        [CommandOption("--planted-hosts <N>")]
        [Description("Hosts the operator plants among the hosts (gpunet honeypots plant): checked like any host, honest but for their traps, where whoever passes is marked. Default 0")]
        public int PlantedHosts { get; init; }

        [CommandOption("--planted-trap-share <R>")]
        [Description("Share of a planted host's liveness checks that are traps (the coordinator's Verification:PlantedTrapShare). Default 0.1")]
        public double PlantedTrapShare { get; init; } = 0.1;

        [CommandOption("--failing-capacity-only")]
        [Description("The failing checkers fail capacity checks only and answer liveness truly")]
        public bool FailingCapacityOnly { get; init; }

        [CommandOption("--without-fail-dissent-rule")]
        [Description("Never hold back or mark a checker for failing hosts of many operators that the others pass: shows what a failing checker costs without the coordinator's rule")]
        public bool WithoutFailDissentRule { get; init; }

        [CommandOption("--days <D>")]
        [Description("Simulated days. Default 2")]
        public double Days { get; init; } = 2;

        [CommandOption("--seed <S>")]
        [Description("Seed of every random choice; the same flags give the same figures. Default 1")]
        public ulong Seed { get; init; } = 1;

        [CommandOption("--jitter <J>")]
        [Description("± share by which every round trip's part above the fibre floor strays. Default 0.3")]
        public double Jitter { get; init; } = 0.3;

        [CommandOption("--honeypots <R>")]
        [Description("Share of checks beside which a known-bad host is planted. Default 0.001")]
        public double Honeypots { get; init; } = 0.001;

        [CommandOption("--path-stretch-spread <S>")]
        [Description("± spread of each checker-host path's route stretch around the delay model's 1.5. Default 0")]
        public double PathStretchSpread { get; init; }

        [CommandOption("--opened-rows <S>")]
        [Description("Rows each checker opens per GPU in a capacity check, over all its products. Default 256, the coordinator's")]
        public int OpenedRows { get; init; } = Gpunet.Core.Verification.FreivaldsCheck.DefaultOpenedRows;

        [CommandOption("--compute-seconds <S>")]
        [Description("Seconds of compute a capacity check is sized to take on the claimed model. Default the core's")]
        public double? ComputeSeconds { get; init; }

        [CommandOption("--allowance-floor-ms <MS>")]
        [Description("Floor of the cap on a capacity check's timing allowance (the slowest honest round trip to the host's declared place), ms; 0 runs without the cap. Default the coordinator's 150")]
        public double? AllowanceFloorMs { get; init; }

        [CommandOption("--assign-suspended-checkers")]
        [Description("Keep assigning checkers whose rewards are suspended (the rule as MISSION.md words it); by default, as the coordinator does, they are left out")]
        public bool AssignSuspendedCheckers { get; init; }

        [CommandOption("--skip-suspended-checkers")]
        [Description("Leave suspended checkers out of the draw: the default now, kept so earlier replay commands still run")]
        public bool SkipSuspendedCheckers { get; init; }

        [CommandOption("--cheat-mix <KINDS>")]
        [Description("The cheats dealt in turn to cheating hosts, comma-separated: weaker-card, fewer-gpus, wrong-answers, cloned-fingerprint, double-listed-gpu, delayed-ping (a weaker card that delays its capacity checks' pings). Default the first five")]
        public string? CheatMix { get; init; }

        [CommandOption("--json")]
        [Description("Print one JSON object")]
        public bool Json { get; init; }

        public VerificationOptions Options() => new()
        {
            Hosts = Hosts, Checkers = Checkers, Cheaters = Cheaters, LocationSpoofers = LocationSpoofers, LazyCheckers = LazyCheckers,
            FailingCheckers = FailingCheckers, FailingCapacityOnly = FailingCapacityOnly, WaryLazyCheckers = WaryLazyCheckers, PlantedHosts = PlantedHosts,
            PlantedTrapShare = PlantedTrapShare,
            FailDissentRule = !WithoutFailDissentRule,
            Days = Days, Seed = Seed, Jitter = Jitter, Honeypots = Honeypots, PathStretchSpread = PathStretchSpread,
            OpenedRows = OpenedRows,
            // Out of range is refused by Validate before a TimeSpan could overflow.
            CapacityComputeTime = ComputeSeconds is { } seconds and >= 0.1 and <= 600
                ? TimeSpan.FromSeconds(seconds) : new VerificationOptions().CapacityComputeTime,
            AllowanceFloor = AllowanceFloorMs switch
            {
                null => new VerificationOptions().AllowanceFloor,
                0 => null,
                var ms => TimeSpan.FromMilliseconds(Math.Clamp(ms.Value, 0, 10_000)),
            },
            AssignSuspendedCheckers = AssignSuspendedCheckers && !SkipSuspendedCheckers,
            CheatMix = CheatMix is null ? new VerificationOptions().CheatMix : CheatKinds.ParseList(CheatMix),
        };

        public override ValidationResult Validate()
        {
            if (CheatMix is not null && !CheatKinds.TryParseList(CheatMix, out _, out var error))
                return ValidationResult.Error(error);
            if (AllowanceFloorMs is { } floor and not (0 or (> 0 and <= 10_000)))
                return ValidationResult.Error(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"--allowance-floor-ms must be 0 (no cap) or up to 10000, not {floor}"));
            if (ComputeSeconds is { } seconds and not (>= 0.1 and <= 600))
                return ValidationResult.Error(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"--compute-seconds must be 0.1 to 600, not {seconds}"));
            return Options().Validate() is { Count: > 0 } errors ? ValidationResult.Error(string.Join("; ", errors)) : ValidationResult.Success();
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        var options = s.Options();
        var clock = Stopwatch.StartNew();
        VerificationReport report;
        if (s.Json || Console.IsErrorRedirected)
        {
            report = VerificationSimulation.Run(options, null, cancellationToken);
        }
        else
        {
            report = null!;
            var minutes = VerificationSimulation.TotalMinutes(options);
            AnsiConsole.Progress().AutoClear(true).Start(p =>
            {
                var task = p.AddTask($"seed {s.Seed}: {s.Hosts:N0} hosts, {s.Days:0.##} days", maxValue: minutes);
                report = VerificationSimulation.Run(options, new Progress<int>(m => task.Value = m), cancellationToken);
            });
        }

        var seconds = clock.Elapsed.TotalSeconds;
        if (s.Json)
        {
            var json = JsonSerializer.SerializeToNode(report, JsonOptions)!.AsObject();
            json.Insert(0, "simulation", "verification");
            json["seconds"] = Math.Round(seconds, 2);
            Console.WriteLine(json.ToJsonString(JsonOptions));
            return 0;
        }

        AnsiConsole.Write(SimVerificationTable.For(report, seconds));
        return 0;
    }
}
