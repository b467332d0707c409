using Gpunet.Core.Scheduling;
using Gpunet.Core.Scheduling.Traces;

namespace Gpunet.Core.Tests.Scheduling;

/// <summary>Seeded clusters and pod lists shaped like the Alibaba GPU traces but not taken from them, so that a policy
/// is judged on lists it was not tuned on: other CPU-only ratios, GPU-sharing shares, multi-GPU mixes, memory-heavy
/// pods, model constraints.</summary>
/// <remarks>The cluster mixes the trace's machine kinds (8 GPUs with 96 or 128 cores, 2 T4s with 104 cores, small
/// P100 and V100 boxes, CPU per GPU from 8 to 52 cores). Pods: whole single GPUs and fractions with CPU per GPU from
/// 2 to 24 cores, multi-GPU pods (some of 8 GPUs and 120 cores, which only the 128-core machines take), CPU-only pods
/// of 4 to 32 cores; arrival order random. Deterministic from the seed.</remarks>
internal static class DerivedWorkloads
{
    /// <summary>One list's recipe.</summary>
    /// <param name="CpuOnlyShare">CPU-only pods' CPU as a share of the cluster's CPU.</param>
    /// <param name="FractionShare">Share of single-GPU pods that ask for a fraction.</param>
    /// <param name="MultiShare">Share of GPU pods that ask for 2, 4 or 8 GPUs.</param>
    /// <param name="MemoryFactor">Every pod's memory times this.</param>
    /// <param name="SpecShare">Share of GPU pods that accept only some models.</param>
    public sealed record Recipe(double CpuOnlyShare, double FractionShare, double MultiShare, double MemoryFactor, double SpecShare, ulong Seed);

    private static readonly (int Gpus, int Cpu, int Memory, string Model, int Count)[] Machines =
    [
        (8, 96_000, 393_216, "G2", 90), (8, 128_000, 786_432, "G3", 8), (2, 104_000, 524_288, "T4", 60),
        (2, 16_000, 122_880, "P100", 20), (4, 32_000, 131_072, "V100", 8), (8, 96_000, 786_432, "V100M32", 4),
    ];

    private static readonly int[] Fractions = [100, 200, 250, 300, 400, 470, 500, 650, 810];

    /// <summary>The cluster every recipe runs on (190 nodes, 1,040 GPUs).</summary>
    public static NodeSpec[] Cluster() =>
        [.. Machines.SelectMany(m => Enumerable.Range(0, m.Count).Select(i => new NodeSpec($"{m.Model}-{i}", m.Cpu, m.Memory, m.Gpus, m.Model)))];

    /// <summary>A pod list: GPU pods asking for about 1.1 times the cluster's GPUs, plus the CPU-only pods.</summary>
    public static TracePod[] Pods(Recipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        var random = new SeededRandom(recipe.Seed);
        var cluster = Cluster();
        var gpuMilli = cluster.Sum(n => (long)n.GpuCount) * PlacementRequest.WholeGpu * 11 / 10;
        var cpuOnly = (long)(recipe.CpuOnlyShare * cluster.Sum(n => (long)n.CpuMilli));
        string[] models = ["G2", "G3", "T4", "P100", "V100", "V100M32"];
        var pods = new List<PlacementRequest>();
        for (long asked = 0; asked < gpuMilli;)
        {
            var r = GpuPod(ref random, recipe, models);
            asked += r.TotalGpuMilli;
            pods.Add(r);
        }

        for (long asked = 0; asked < cpuOnly;)
        {
            var cpu = 4_000 * (1 + random.NextInt(8));
            asked += cpu;
            pods.Insert(random.NextInt(pods.Count + 1), new PlacementRequest(cpu, Memory(cpu * 4, recipe), 0, 0));
        }

        return [.. pods.Select((r, i) => new TracePod($"p{i}", r, null, null))];
    }

    private static PlacementRequest GpuPod(ref SeededRandom random, Recipe recipe, string[] models)
    {
        var spec = new List<string>();
        if (Chance(ref random, recipe.SpecShare))
        {
            foreach (var m in models)
            {
                if (random.NextInt(3) == 0)
                    spec.Add(m);
            }

            if (spec.Count == 0)
                spec.Add(models[random.NextInt(models.Length)]);
        }

        if (Chance(ref random, recipe.MultiShare))
        {
            var count = new[] { 2, 4, 8, 8 }[random.NextInt(4)];
            // One in six 8-GPU pods needs 120 cores: only the 128-core machines take it.
            var cpu = count == 8 && random.NextInt(6) == 0 ? 120_000 : count * 1_000 * (4 + random.NextInt(8));
            return new PlacementRequest(cpu, Memory(cpu * 4, recipe), count, PlacementRequest.WholeGpu, spec);
        }

        var perGpu = 1_000 * new[] { 2, 4, 6, 8, 11, 12, 16, 24 }[random.NextInt(8)];
        var milli = Chance(ref random, recipe.FractionShare) ? Fractions[random.NextInt(Fractions.Length)] : PlacementRequest.WholeGpu;
        return new PlacementRequest(perGpu, Memory(perGpu * 4, recipe), 1, milli, spec);
    }

    private static int Memory(int mib, Recipe recipe) => (int)Math.Min(mib * recipe.MemoryFactor, 300_000);

    private static bool Chance(ref SeededRandom random, double p) => random.NextInt(1_000_000) < p * 1_000_000;
}
