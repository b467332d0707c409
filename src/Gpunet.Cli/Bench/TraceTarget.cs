using Gpunet.Core.Scheduling;
using Gpunet.Core.Scheduling.Traces;

namespace Gpunet.Cli.Bench;

/// <summary>The FGD policies' target workload in <c>gpunet bench trace</c>: learnt online (the default, what a live
/// network can do), seeded from a history file, or the replayed list itself (an oracle, only when asked for).</summary>
internal static class TraceTarget
{
    /// <summary>What the report says was used.</summary>
    public static string Describe(string fgdTarget, string? history) =>
        fgdTarget == "trace" ? "ORACLE: the replayed pod list (--fgd-target trace)"
        : history is not null ? $"history {Path.GetFileName(history)}, then online from the pods seen"
        : $"online: learnt from the pods seen so far (fgd-mr: half-life {MultiResourceFgdPolicy.DefaultHalfLife} pods)";

    /// <summary>A fresh policy: an FGD policy gets the oracle (<paramref name="oracle"/> not null), or the history as a
    /// prior it goes on learning from, or nothing (it learns from the pods it places).</summary>
    public static IPlacementPolicy Policy(string name, ulong seed, IReadOnlyList<TracePod>? oracle, IReadOnlyList<TracePod> history)
    {
        var byCpu = name == MultiResourceFgdPolicy.PolicyName;
        var halfLife = byCpu ? MultiResourceFgdPolicy.DefaultHalfLife : 0;
        if (oracle is not null)
            return PlacementPolicies.Create(name, seed, WorkloadDistribution.From(oracle.Select(p => p.Request), 0, byCpu), learn: false);
        if (history.Count > 0 && name is MultiResourceFgdPolicy.PolicyName or FgdPolicy.PolicyName)
            return PlacementPolicies.Create(name, seed, WorkloadDistribution.From(history.Select(p => p.Request), halfLife, byCpu), learn: true);
        return PlacementPolicies.Create(name, seed);
    }
}
