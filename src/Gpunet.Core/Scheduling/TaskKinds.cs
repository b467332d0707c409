namespace Gpunet.Core.Scheduling;

/// <summary>The task kinds of a <see cref="WorkloadDistribution"/> as a structure of arrays, as the FGD policies
/// score against them: GPU count, share per GPU, CPU, memory, model mask (in a cluster's model ids) and weight.</summary>
/// <remarks>The weights of a learnt target move every few hundred requests while its kinds mostly stay; what a node's
/// rows hold depends on the kinds only, so <see cref="Load"/> says whether they moved. Not thread-safe.</remarks>
internal sealed class TaskKinds
{
    /// <summary>Number of kinds.</summary>
    public int Length => Weight.Length;

    /// <summary>GPUs one task of the kind takes.</summary>
    public int[] Count { get; private set; } = [];

    /// <summary>GPU thousandths per GPU.</summary>
    public int[] Milli { get; private set; } = [];

    /// <summary>Mean CPU millicores of the kind's tasks.</summary>
    public int[] Cpu { get; private set; } = [];

    /// <summary>Mean memory MiB of the kind's tasks.</summary>
    public int[] Memory { get; private set; } = [];

    /// <summary>Acceptable models as a mask of the cluster's model ids.</summary>
    public ulong[] Mask { get; private set; } = [];

    /// <summary>The kind's share of all tasks (0 to 1).</summary>
    public double[] Weight { get; private set; } = [];

    /// <summary>Share of CPU-only tasks: for them every free GPU share is unusable.</summary>
    public double CpuOnlyWeight { get; private set; }

    /// <summary>Takes the target's kinds and weights, model masks in <paramref name="cluster"/>'s ids; true when the
    /// kinds themselves (not only their weights) changed, so rows made for the old ones are stale.</summary>
    public bool Load(WorkloadDistribution target, ClusterCapacity cluster)
    {
        var classes = target.Classes;
        var k = classes.Length;
        var same = k == Length;
        for (var m = 0; m < k && same; m++)
        {
            var t = classes[m];
            same = (Count[m], Milli[m], Cpu[m], Memory[m], Mask[m]) == (t.GpuCount, t.GpuMilli, t.CpuMilli, t.MemoryMib, cluster.ModelMask(t.Models));
        }

        if (!same)
            (Count, Milli, Cpu, Memory, Mask) = (new int[k], new int[k], new int[k], new int[k], new ulong[k]);
        var weight = new double[k];
        for (var m = 0; m < k; m++)
        {
            var t = classes[m];
            weight[m] = t.Weight;
            if (!same)
                (Count[m], Milli[m], Cpu[m], Memory[m], Mask[m]) = (t.GpuCount, t.GpuMilli, t.CpuMilli, t.MemoryMib, cluster.ModelMask(t.Models));
        }

        (Weight, CpuOnlyWeight) = (weight, target.CpuOnlyWeight);
        return !same;
    }
}
