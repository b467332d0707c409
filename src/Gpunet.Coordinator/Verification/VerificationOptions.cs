using System.ComponentModel.DataAnnotations;

namespace Gpunet.Coordinator.Verification;

/// <summary>How hosts are checked: how often, by how many checkers, how hard. Bound from the <c>Coordinator</c> section,
/// keys as named here.</summary>
public sealed class VerificationOptions : IValidatableObject
{
    /// <summary>Whether the coordinator issues checks at all (checkers can still connect). Default true.</summary>
    public bool ChecksEnabled { get; set; } = true;

    /// <summary>N in 2N+1: checkers per check. Default 1 (three checkers, a majority of two). With fewer connected
    /// checkers a check takes the largest odd number there are.</summary>
    [Range(0, (ShortLists.CheckersPerCheck - 1) / 2)]
    public int CheckersN { get; set; } = 1;

    /// <summary>How often each live host's liveness is checked. Default 60 s.</summary>
    public TimeSpan LivenessInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a host serving a lease gets a quality-of-service check. Default 60 s.</summary>
    public TimeSpan ServiceInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often capacity is checked again after a pass; each time a random share of it earlier, so that a
    /// host cannot know when. Default a day.</summary>
    public TimeSpan CapacityInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>n of each product on a real GPU. Default 2048.</summary>
    [Range(16, 32768)]
    public int CapacitySize { get; set; } = 2048;

    /// <summary>n of each product a simulated host computes (on its CPU); its answer time is still judged on the
    /// real-size work. Default 64.</summary>
    [Range(16, 1024)]
    public int SimulatedCapacitySize { get; set; } = 64;

    /// <summary>Most products per GPU a real host is asked for, whatever the timing target. Default 64.</summary>
    [Range(1, 100_000)]
    public int MaxProducts { get; set; } = 64;

    /// <summary>Whether a real (not simulated) host's capacity timing fails it. Default false: its products are
    /// checked row by row and its GPUs counted, and its timing is measured and reported but fails nothing, on square
    /// products of <see cref="CapacitySize"/> (at most <see cref="MaxProducts"/>).</summary>
    /// <remarks>The expected throughputs (<see cref="Core.Verification.GpuThroughput"/>) are tensor-core figures, and
    /// the agent's ILGPU kernel uses CUDA cores: an honest real host would be judged too slow and slashed for deceit.
    /// Turn this on (with rectangular products up to <see cref="MaxInnerSize"/>) once the agent's kernel has been
    /// measured on real cards and the table holds its measured share. Simulated hosts are always timed.</remarks>
    public bool EnforceRealGpuTiming { get; set; }

    /// <summary>Largest inner dimension k of a real host's products (A is n × k, B k × n, C still n × n). Default
    /// 65,536: at n = 2,048, 2 × 2,048² × 65,536 = 5.5·10¹¹ operations per product for 16 MiB of C to hash, 32 times
    /// the work per committed byte of a square product. A multiple of
    /// <see cref="Core.Verification.CapacityTiming.InnerSizeStep"/> (256), below 131,072 (int32 stays exact: see
    /// <see cref="Core.Verification.MatrixChallenge"/>), and <see cref="CapacitySize"/> × k at most 2³⁰ entries.</summary>
    /// <remarks>The coordinator takes the fewest products of the largest k up to this that make the fastest claimed
    /// card work <see cref="CapacityComputeTime"/> (<see cref="Core.Verification.CapacityTiming.WorkFor"/>).</remarks>
    [Range(Core.Verification.CapacityTiming.InnerSizeStep, Core.Verification.MatrixChallenge.MaxInnerSize)]
    public int MaxInnerSize { get; set; } = 65_536;

    /// <summary>The compute time a capacity check is sized to take on the claimed model. Default the core's 10 s
    /// (<see cref="Core.Verification.CapacityTimingOptions.TargetComputeTime"/>: why it is that long).</summary>
    public TimeSpan CapacityComputeTime { get; set; } = new Core.Verification.CapacityTimingOptions().TargetComputeTime;

    /// <summary>Share by which an honest card may be slower than its model's expected time and still pass (sent to the
    /// checkers with each capacity task). Default 0.08.</summary>
    [Range(0.001, 1.0)]
    public double CapacityCardBand { get; set; } = 0.08;

    /// <summary>Share by which the round trip during a capacity check may exceed the one measured just before. Default 0.30.</summary>
    [Range(0.001, 10.0)]
    public double CapacityJitterBand { get; set; } = 0.30;

    /// <summary>What any access network may add to a host's round trip, whatever its distance from the checker: the floor of
    /// the cap on a capacity check's timing allowance, sent to each checker with its assignment
    /// (<see cref="Core.Verification.RoundTripCap"/>: a host that holds its pings widens its allowance at most to the cap).
    /// Default 150 ms; more than zero and at most 10 s.</summary>
    public TimeSpan AllowanceFloor { get; set; } = Core.Verification.RoundTripCap.DefaultFloor;

    /// <summary>Rows each checker opens per GPU, drawn over all of the GPU's products. Default 256
    /// (<see cref="Core.Verification.FreivaldsCheck.DefaultOpenedRows"/>: a card at 0.9 of the claimed speed caught
    /// with ≥ 99.9 %); at most what agents answer (<see cref="Core.Verification.ProbeAdmission.MaxOpenedRowsPerGpu"/>).</summary>
    [Range(1, Core.Verification.ProbeAdmission.MaxOpenedRowsPerGpu)]
    public int OpenedRows { get; set; } = Core.Verification.FreivaldsCheck.DefaultOpenedRows;

    /// <summary>Freivalds' bound: a wrong opened row passes with probability at most 2^-bits. Default 20.</summary>
    [Range(1, 120)]
    public int SecurityBits { get; set; } = 20;

    /// <summary>Time a checker has for a liveness or service check, and beyond the compute time for a capacity check.
    /// Default 20 s.</summary>
    public TimeSpan ReportGrace { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Share of checks that go to a planted known-bad host (a honeypot the coordinator answers for), to catch
    /// checkers that pass everything. Default 0.02.</summary>
    [Range(0.0, 1.0)]
    public double HoneypotShare { get; set; } = 0.02;

    /// <summary>Share of a planted host's checks that are traps (<c>gpunet honeypots plant</c>): its <c>--honeypot</c>
    /// agent answers a trap as a host that is down or computes wrong, and every other check as any host, so that its
    /// record looks like a somewhat unreliable host's and no checker can tell a trap from its history. Default 0.1.</summary>
    [Range(0.0, 1.0)]
    public double PlantedTrapShare { get; set; } = 0.1;

    /// <summary>How many different host operators a checker's fails of hosts the others passed must span within a week
    /// before its fails stop escalating and are marked incorrect (<see cref="Core.Verification.FailDissentPolicy"/>).
    /// Default 5.</summary>
    [Range(2, 1_000)]
    public int FailDissentOperators { get; set; } = Core.Verification.FailDissentPolicy.Default.DistinctOperators;

    /// <summary>The least share of a checker's reports on passed checks of a kind that must be such fails (with
    /// <see cref="FailDissentOperators"/>). Default 0.2.</summary>
    [Range(0.001, 1.0)]
    public double FailDissentShare { get; set; } = Core.Verification.FailDissentPolicy.Default.MinShare;

    /// <summary>Whether liveness round trips test hosts' declared places (a contradicted place is flagged for
    /// compliance). Default true; a devnet, where every process shares one machine, turns it off.</summary>
    public bool LocationChecks { get; set; } = true;

    /// <summary>How long after a failed or undecided capacity check the host is checked again. Default 10 minutes.</summary>
    public TimeSpan CapacityRetry { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How soon a host that failed a capacity check is checked again: a second failure in a row is the deceit
    /// slash, a pass lifts the hold. Default 60 s.</summary>
    public TimeSpan CapacityConfirmAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the scheduler looks for checks that are due or past their deadline. Default 2 s.</summary>
    public TimeSpan SchedulerInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often an idle checker heartbeats. Default 15 s.</summary>
    public TimeSpan CheckerHeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long passed liveness and service checks (and their reports) are kept (<see cref="CheckRetention"/>).
    /// Default 90 days; at least <see cref="MinChecksRetention"/>. Failed, undecided and capacity checks are kept for good.</summary>
    public TimeSpan ChecksRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>The shortest retention accepted, 62 days: longer than anything reads checks back (the track record's
    /// 30 days, settlement's epoch and the checkers' 37 days of marks, and the SLA's calendar month of downtime read up
    /// to a month after it ends).</summary>
    public static readonly TimeSpan MinChecksRetention = TimeSpan.FromDays(62);

    /// <summary>How often the retention sweep runs. Default an hour.</summary>
    public TimeSpan RetentionSweepInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Checks deleted per statement by the retention sweep. Default 2,000.</summary>
    [Range(1, 100_000)]
    public int RetentionBatch { get; set; } = 2_000;

    /// <summary>Largest number of checks open at once per checker; more wait for the next tick. Default 32.</summary>
    [Range(1, 10_000)]
    public int MaxOpenPerChecker { get; set; } = 32;

    /// <summary>The timing rule's bands and compute target as this coordinator issues capacity tasks with them: the one
    /// place the options become <see cref="Core.Verification.CapacityTimingOptions"/>, so that the task's size, the bands
    /// it carries and the rules that read it cannot drift apart.</summary>
    public Core.Verification.CapacityTimingOptions TimingOptions() => new()
    {
        TargetComputeTime = CapacityComputeTime, CardBand = CapacityCardBand, JitterBand = CapacityJitterBand,
    };

    /// <summary>What the ranges cannot say: the capacity shape (<see cref="CapacitySize"/> × <see cref="MaxInnerSize"/>)
    /// must be one <see cref="Core.Verification.MatrixChallenge"/> accepts, and k a multiple of the step.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxInnerSize % Core.Verification.CapacityTiming.InnerSizeStep != 0)
            yield return new ValidationResult($"Coordinator:MaxInnerSize must be a multiple of {Core.Verification.CapacityTiming.InnerSizeStep}, not {MaxInnerSize}.",
                [nameof(MaxInnerSize)]);
        if (AllowanceFloor <= TimeSpan.Zero || AllowanceFloor > TimeSpan.FromSeconds(10))
            yield return new ValidationResult($"Coordinator:AllowanceFloor must be more than zero and at most 10 s, not {AllowanceFloor}.",
                [nameof(AllowanceFloor)]);
        if (Core.Verification.MatrixChallenge.ShapeError(CapacitySize, MaxInnerSize) is { } shape)
            yield return new ValidationResult($"Coordinator:CapacitySize and MaxInnerSize: {shape}", [nameof(CapacitySize), nameof(MaxInnerSize)]);
    }
}
