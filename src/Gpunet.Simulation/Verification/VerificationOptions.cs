using System.Globalization;

namespace Gpunet.Simulation.Verification;

/// <summary>What one verification run (<c>gpunet sim</c>) simulates: the network, its cheats, its network and outages.</summary>
/// <remarks>Every random choice is drawn from <see cref="Seed"/>: the same options give the same report.</remarks>
public sealed record VerificationOptions
{
    /// <summary>The seed of every random choice in the run.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Hosts on the network.</summary>
    public int Hosts { get; init; } = 200;

    /// <summary>Checkers, each at a data-centre city, run by its own operator.</summary>
    public int Checkers { get; init; } = 15;

    /// <summary>Share of hosts that cheat on capacity or identity, 0 to 1.</summary>
    public double Cheaters { get; init; } = 0.1;

    /// <summary>Share of hosts that declare a place 1,000 km or more from where they are, 0 to 1 (apart from
    /// <see cref="Cheaters"/>; cheaters and spoofers together at most every host).</summary>
    public double LocationSpoofers { get; init; } = 0.05;

    /// <summary>Share of checkers that report "pass" without checking, 0 to 1.</summary>
    public double LazyCheckers { get; init; } = 0.1;

    /// <summary>Share of checkers that report "fail" on every assignment without probing (apart from
    /// <see cref="LazyCheckers"/>; both together at most every checker), 0 to 1: each fail splits a capacity panel and
    /// costs a second one until <c>FailDissentPolicy</c> holds it back.</summary>
    public double FailingCheckers { get; init; }

    /// <summary>Share of checkers that are lazy but wary (apart from <see cref="LazyCheckers"/> and
    /// <see cref="FailingCheckers"/>; the three together at most every checker), 0 to 1: they tell the coordinator's decoy
    /// honeypots from hosts (by their probe endpoint and unlisted host id) and fail them, and pass every real host without
    /// probing it. Only <see cref="PlantedHosts"/> catch them.</summary>
    public double WaryLazyCheckers { get; init; }

    /// <summary>Hosts the network's operator plants among the hosts (<c>gpunet honeypots plant</c>), 0 to 100: registered
    /// and checked like any host, answering as an honest host but on their traps (<see cref="PlantedTrapShare"/> of their
    /// liveness checks), where they are down and whoever passes is marked incorrect.</summary>
    public int PlantedHosts { get; init; }

    /// <summary>Share of a planted host's liveness checks that are traps, 0 to 1: the coordinator's
    /// <c>Verification:PlantedTrapShare</c> (default 0.1).</summary>
    public double PlantedTrapShare { get; init; } = 0.1;

    /// <summary>Whether the failing checkers fail capacity checks only, answering liveness truly: the cheapest way to make
    /// every capacity check they sit on cost a second panel.</summary>
    public bool FailingCapacityOnly { get; init; }

    /// <summary>Whether <c>FailDissentPolicy</c> holds back and marks checkers that fail hosts of many operators the others
    /// pass (the coordinator's rule). False shows what an always-fail checker costs without it.</summary>
    public bool FailDissentRule { get; init; } = true;

    /// <summary>Simulated days.</summary>
    public double Days { get; init; } = 2;

    /// <summary>± share by which the part of every round trip above the fibre floor strays, 0 to 1.</summary>
    public double Jitter { get; init; } = 0.3;

    /// <summary>Share of checks beside which the coordinator plants a honeypot check (a known-bad host), 0 to 0.1.</summary>
    public double Honeypots { get; init; } = 0.001;

    /// <summary>± spread of a path's stretch around the delay model's 1.5 (route length over the great circle), per
    /// checker–host pair. 0: every path is the model's average.</summary>
    public double PathStretchSpread { get; init; }

    /// <summary>Whether a checker whose rewards are suspended still gets assignments. False is the coordinator's rule
    /// (<c>CheckerStandings</c>: a suspended checker is left out of the draw); true is the rule as MISSION.md words it
    /// (suspension costs rewards only), kept to show why it was changed.</summary>
    public bool AssignSuspendedCheckers { get; init; }

    /// <summary>The cheats dealt out, in turn, to the cheating hosts. Default: all five.</summary>
    public IReadOnlyList<CheatKind> CheatMix { get; init; } =
        [CheatKind.WeakerCard, CheatKind.FewerGpus, CheatKind.WrongAnswers, CheatKind.ClonedFingerprint, CheatKind.DoubleListedGpu];

    /// <summary>n of the matrices every capacity check really multiplies and verifies (the timing is judged on the claimed
    /// model's full-size work, as for a simulated agent). Default 128.</summary>
    public int MatrixSize { get; init; } = 128;

    /// <summary>Rows each checker opens per GPU, drawn over all its products. Default the coordinator's,
    /// <see cref="Core.Verification.FreivaldsCheck.DefaultOpenedRows"/> (256).</summary>
    public int OpenedRows { get; init; } = Core.Verification.FreivaldsCheck.DefaultOpenedRows;

    /// <summary>The compute time a capacity check is sized to take on the claimed model
    /// (<see cref="Core.Verification.CapacityTimingOptions.TargetComputeTime"/>). Default the core's.</summary>
    public TimeSpan CapacityComputeTime { get; init; } = new Core.Verification.CapacityTimingOptions().TargetComputeTime;

    /// <summary>The floor of the cap on a capacity check's timing allowance (<see cref="Core.Verification.RoundTripCap"/>):
    /// the coordinator's default, 150 ms; null runs without the cap (as before it).</summary>
    public TimeSpan? AllowanceFloor { get; init; } = Core.Verification.RoundTripCap.DefaultFloor;

    /// <summary>The timing rule's options for this run: the core's bands (the coordinator's defaults) with
    /// <see cref="CapacityComputeTime"/>; the one place the run's options become them.</summary>
    public Core.Verification.CapacityTimingOptions TimingOptions() => new() { TargetComputeTime = CapacityComputeTime };

    /// <summary>Products each GPU commits to in a capacity check: the coordinator's <c>MaxProducts</c> (64), which
    /// every claimed model reaches at n = 2,048 well within a second.</summary>
    public int Products { get; init; } = 64;

    /// <summary>Mean days between a host's outages.</summary>
    public double HostMeanDaysBetweenOutages { get; init; } = 3;

    /// <summary>Mean minutes a host's outage lasts.</summary>
    public double HostMeanOutageMinutes { get; init; } = 20;

    /// <summary>Mean days between a checker's outages.</summary>
    public double CheckerMeanDaysBetweenOutages { get; init; } = 2;

    /// <summary>Mean minutes a checker's outage lasts.</summary>
    public double CheckerMeanOutageMinutes { get; init; } = 30;

    /// <summary>Share of single probes (one ping) lost on the way; a checker tries three before it calls a host down.</summary>
    public double ProbeLoss { get; init; } = 0.01;

    /// <summary>Share of checkers' reports lost on the way to the coordinator (missing: neither right nor wrong).</summary>
    public double ReportLoss { get; init; } = 0.001;

    /// <summary>What is wrong with these options, one line each, naming the <c>gpunet sim</c> flag; empty when they can
    /// run.</summary>
    public IReadOnlyList<string> Validate()
    {
        var c = CultureInfo.InvariantCulture;
        var errors = new List<string>();
        if (Hosts is < 1 or > 10_000)
            errors.Add(string.Create(c, $"--hosts must be 1 to 10000, not {Hosts}"));
        if (Checkers is < 3 or > 500)
            errors.Add(string.Create(c, $"--checkers must be 3 to 500 (a check needs 2N+1 = 3), not {Checkers}"));
        Share(errors, Cheaters, "--cheaters", 1);
        Share(errors, LocationSpoofers, "--location-spoofers", 1);
        Share(errors, LazyCheckers, "--lazy-checkers", 1);
        Share(errors, FailingCheckers, "--failing-checkers", 1);
        Share(errors, WaryLazyCheckers, "--wary-lazy-checkers", 1);
        if (LazyCheckers + FailingCheckers + WaryLazyCheckers > 1)
            errors.Add(string.Create(c, $"--lazy-checkers, --failing-checkers and --wary-lazy-checkers together must be at most 1 (a share of the checkers), not {LazyCheckers + FailingCheckers + WaryLazyCheckers}"));
        Share(errors, PlantedTrapShare, "--planted-trap-share", 1);
        if (PlantedHosts is < 0 or > 100)
            errors.Add(string.Create(c, $"--planted-hosts must be 0 to 100, not {PlantedHosts}"));
        Share(errors, Jitter, "--jitter", 1);
        Share(errors, Honeypots, "--honeypots", 0.1);
        Share(errors, PathStretchSpread, "--path-stretch-spread", 0.5);
        if (Cheaters + LocationSpoofers > 1)
            errors.Add(string.Create(c, $"--cheaters and --location-spoofers together must be at most 1 (a share of the hosts), not {Cheaters + LocationSpoofers}"));
        if (Days is not (>= 0.01 and <= 60))
            errors.Add(string.Create(c, $"--days must be 0.01 to 60, not {Days}"));
        if (CheatMix is null || CheatMix.Count == 0 || CheatMix.Contains(CheatKind.None))
            errors.Add("the cheat mix must name at least one cheat, and no None");
        if (MatrixSize is < 32 or > 512)
            errors.Add(string.Create(c, $"the matrix size must be 32 to 512, not {MatrixSize}"));
        if (OpenedRows is < 1 or > Core.Verification.ProbeAdmission.MaxOpenedRowsPerGpu)
            errors.Add(string.Create(c, $"--opened-rows must be 1 to {Core.Verification.ProbeAdmission.MaxOpenedRowsPerGpu}, not {OpenedRows}"));
        if (CapacityComputeTime is { TotalSeconds: < 0.1 or > 600 })
            errors.Add(string.Create(c, $"--compute-seconds must be 0.1 to 600, not {CapacityComputeTime.TotalSeconds}"));
        if (Products is < 1 or > 1024)
            errors.Add(string.Create(c, $"the products per GPU must be 1 to 1024, not {Products}"));
        foreach (var (value, name) in new[]
                 {
                     (HostMeanDaysBetweenOutages, "host days between outages"), (HostMeanOutageMinutes, "host outage minutes"),
                     (CheckerMeanDaysBetweenOutages, "checker days between outages"), (CheckerMeanOutageMinutes, "checker outage minutes"),
                 })
        {
            if (value is not (> 0 and < double.PositiveInfinity))
                errors.Add($"the {name} must be positive");
        }

        Share(errors, ProbeLoss, "probe loss", 0.5);
        Share(errors, ReportLoss, "report loss", 0.5);
        return errors;
    }

    private static void Share(List<string> errors, double value, string name, double max)
    {
        if (value is not (>= 0 and <= 1) || value > max)
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{name} must be a share from 0 to {max}, not {value}"));
    }
}
