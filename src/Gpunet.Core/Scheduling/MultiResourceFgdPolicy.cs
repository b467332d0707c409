namespace Gpunet.Core.Scheduling;

/// <summary><c>fgd-mr</c>, the default: Fragmentation Gradient Descent over every resource that can run out. A task
/// kind can use a node's free GPUs only as far as the node's free CPU and memory let it run tasks of that kind, so a
/// CPU-only task that eats the CPU beside free GPUs strands them, and a CPU-heavy task goes where CPU is plentiful.</summary>
/// <remarks>
/// A node's fragmentation for a kind (<see cref="WorkloadDistribution"/> grouped by GPU shape, models and CPU per
/// GPU) is its free GPU share minus what the kind can use: the share on GPUs with room for the kind, at most the tasks
/// that its free CPU and memory can hold times the kind's GPUs (none when the model is wrong or too few GPUs fit).
/// Each request goes where the expected fragmentation, weighed by the kinds' popularity, grows least, plus two terms:
/// the cost of the homes of scarce kinds it takes (<see cref="HomeScarcity"/>), and best-fit's score (free shares left)
/// weighed by which resource binds: lightly while GPUs are the cluster's most allocated resource (a tie-break), and
/// heavily once CPU or memory is (then packing the binding resource tightly is what leaves room for GPU tasks).
/// The target is learnt from the requests seen (optionally from a prior, e.g. a history file), never given the future.
/// Per node and kind the policy keeps a row (GPUs that fit, share below, fragmentation now) refreshed from the
/// cluster's journal of changed nodes, so the homes of every kind are counted exactly; <see cref="DeltaCache"/> keeps
/// the node scores, completed with the homes' cost and kept until the node or the costs move. Ties: lowest node index,
/// then lowest GPU index. Not thread-safe.
/// </remarks>
public sealed partial class MultiResourceFgdPolicy : FragmentationPolicy
{
    /// <summary>The policy's name.</summary>
    public const string PolicyName = "fgd-mr";

    /// <summary>Half-life of a seen request's weight in the learnt target, in requests.</summary>
    public const int DefaultHalfLife = 4096;

    // Best-fit's score (0 to 3) in GPU thousandths: 0.01 GPU per unit while GPUs bind (a tie-break among nodes that
    // fragment alike), 10 GPUs per unit when CPU or memory is more allocated than GPUs (best-fit decides, FGD breaks ties).
    private const double GpuBoundBestFit = 10;
    private const double HostBoundBestFit = 10_000;

    /// <summary>How far CPU's or memory's allocated share must lead the GPUs' before the policy treats it as the
    /// resource that binds (and lets best-fit decide). Where a workload's CPU demand matches its GPU demand (the
    /// trace's cpu250 list: CPU-only pods sized so), the shares move together and cross on every few placements; without
    /// this dead band the policy switched back and forth some hundred times and placed 1.9 % less GPU demand than
    /// best-fit alone; with it, it places more on every list of the trace (README, "Packing").</summary>
    internal const double HostBoundLead = 0.02;

    private readonly List<int> _changed = [];
    private long _cursor;
    private bool _hostBound;
    private double _bestFitWeight = GpuBoundBestFit;
    // Per kind: the homes (nodes it can run on) and a home's cost now; whether any costs, and a version that moves
    // whenever a cost does (completed scores cached before it are stale).
    private int[] _homes = [];
    private double[] _cost = [];
    private bool _costly;
    private int _costVersion;
    // Per kind: the cost version at which its cost last moved; the kinds whose homes the score being completed takes.
    private int[] _costMoved = [];
    private ulong _taken;
    // Per node: free GPU share when its row was made (the node is a home of a kind when its term is below it).
    private int[] _rowFree = [];

    /// <summary>A policy that learns its target from the requests it places, starting from <paramref name="prior"/>
    /// (null: nothing; a decayed histogram of kinds grouped by CPU per GPU).</summary>
    public MultiResourceFgdPolicy(WorkloadDistribution? prior = null)
        : this(prior, learn: true)
    {
    }

    /// <summary>A policy against <paramref name="target"/>, which, with <paramref name="learn"/>, takes in every request
    /// it is asked to place.</summary>
    public MultiResourceFgdPolicy(WorkloadDistribution? target, bool learn)
        : base(target ?? new WorkloadDistribution(DefaultHalfLife, byCpu: true), learn)
    {
    }

    /// <inheritdoc />
    public override string Name => PolicyName;

    private protected override bool HasExtra => _costly;

    private protected override int ExtraVersion => _costVersion;

    private protected override ulong ExtraMovedSince(int version)
    {
        var moved = 0UL;
        for (var m = 0; m < _costMoved.Length; m++)
        {
            if (_costMoved[m] > version)
                moved |= KindBit(m);
        }

        return moved;
    }

    private protected override double Evaluate(ClusterCapacity cluster, int node, PlacementRequest request, ulong mask)
    {
        if (!cluster.Fits(node, request, mask))
            return double.PositiveInfinity;
        Refresh(cluster, node);
        var bestFit = _bestFitWeight * BestFitPolicy.Score(cluster, node, request);
        if (!request.IsFractional)
            return Delta(cluster, node, request, PlacementRequest.WholeGpu, 0, request.GpuCount, costs: false) + bestFit;
        return BestGpu(cluster, node, request, complete: false, out _) + bestFit;
    }

    private protected override double Complete(ClusterCapacity cluster, int node, PlacementRequest request, double cached, out ulong dependsOn)
    {
        _taken = 0;
        double full;
        if (!request.IsFractional)
        {
            full = cached + Delta(cluster, node, request, PlacementRequest.WholeGpu, 0, request.GpuCount, costs: true);
        }
        else
        {
            Refresh(cluster, node);
            var best = BestGpu(cluster, node, request, complete: true, out var gpu);
            full = gpu < 0 ? double.PositiveInfinity : best + (_bestFitWeight * BestFitPolicy.Score(cluster, node, request));
        }

        dependsOn = _taken;
        return full;
    }

    // A kind's bit in the masks of what moved and what a completed score depends on; kinds past 63 share the last.
    private static ulong KindBit(int m) => 1UL << Math.Min(m, 63);

    // A fraction goes to the GPU where fragmentation grows least; completed, plus the homes it takes.
    private protected override double GpuDelta(ClusterCapacity cluster, int node, PlacementRequest request, int free, bool complete) =>
        Delta(cluster, node, request, free, free - request.GpuMilli, 1, costs: false)
        + (complete && _costly ? Delta(cluster, node, request, free, free - request.GpuMilli, 1, costs: true) : 0);

    // With `costs` false: the change in expected fragmentation when `changed` GPUs go from `before` to `after` free
    // thousandths and the request's CPU and memory are taken. With `costs` true: the cost of the homes it takes, and
    // the kinds whose homes it takes (whatever their cost now) added to `_taken`.
    private double Delta(ClusterCapacity cluster, int node, PlacementRequest request, int before, int after, int changed, bool costs)
    {
        ref readonly var n = ref cluster.Node(node);
        var (kinds, fit, below, term, cost) = (Kinds, Fit, Below, Term, _cost);
        var (milli, weight) = (kinds.Milli, kinds.Weight);
        var c = weight.Length;
        var cpuAfter = n.FreeCpuMilli - request.CpuMilli;
        var memAfter = n.FreeMemoryMib - request.MemoryMib;
        var taken = request.TotalGpuMilli;
        var totalAfter = n.FreeGpuMilli - (int)taken;
        var delta = costs ? 0 : -kinds.CpuOnlyWeight * taken;
        var row = node * c;
        for (var m = 0; m < c; m++)
        {
            var q = milli[m];
            var fitAfter = fit[row + m] + (changed * ((after >= q ? 1 : 0) - (before >= q ? 1 : 0)));
            var belowAfter = below[row + m] + (changed * ((after < q ? after : 0) - (before < q ? before : 0)));
            var termAfter = TermOf(m, n.ModelId, cpuAfter, memAfter, fitAfter, belowAfter, totalAfter);
            if (costs)
            {
                if (term[row + m] < n.FreeGpuMilli && termAfter >= totalAfter)
                    (delta, _taken) = (delta + cost[m], _taken | KindBit(m));
                continue;
            }

            var d = termAfter - term[row + m];
            if (d != 0)
                delta += weight[m] * d;
        }

        return delta;
    }

    // The free share (of `free` on the node) that kind m cannot use.
    private int TermOf(int m, int model, int cpu, int mem, int fit, int below, int free)
    {
        var kinds = Kinds;
        if (fit < kinds.Count[m] || model < 0 || ((kinds.Mask[m] >> model) & 1) == 0)
            return free;
        // A kind that asks no CPU or memory is limited by its GPUs alone (and the product below stays in range).
        var tasks = (long)int.MaxValue;
        if (kinds.Cpu[m] > 0)
            tasks = cpu / kinds.Cpu[m];
        if (kinds.Memory[m] > 0)
            tasks = Math.Min(tasks, mem / kinds.Memory[m]);
        if (tasks <= 0)
            return free;
        var usable = Math.Min(free - below, tasks * kinds.Count[m] * PlacementRequest.WholeGpu);
        return free - (int)usable;
    }
}
