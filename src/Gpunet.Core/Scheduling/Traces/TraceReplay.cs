namespace Gpunet.Core.Scheduling.Traces;

/// <summary>Replays a trace's pods through a placement policy on a fresh cluster.</summary>
/// <remarks>Pods arrive in creation order (file order among equal times, or without time columns). With
/// departures, a placed pod releases its resources at its deletion time, departures before arrivals at the same
/// time; without, pods hold until the end (the set-up of "Beware of Fragmentation"). A pod that fits nowhere
/// fails and is not retried. Pure: time it from the caller.</remarks>
public static class TraceReplay
{
    /// <summary>Runs the replay and returns the policy's figures.</summary>
    public static TraceReplayResult Run(IReadOnlyList<NodeSpec> nodes, IReadOnlyList<TracePod> pods, IPlacementPolicy policy, bool departures)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(policy);
        var cluster = new ClusterCapacity(nodes);
        var order = Enumerable.Range(0, pods.Count).OrderBy(i => pods[i].CreationTime ?? 0).ThenBy(i => i).ToArray();
        var leaving = new PriorityQueue<Placement, long>();
        int placed = 0, failed = 0;
        long requested = 0, placedMilli = 0;
        double? atFirstFailure = null;
        foreach (var i in order)
        {
            var pod = pods[i];
            if (departures)
            {
                var now = pod.CreationTime ?? 0;
                while (leaving.TryPeek(out _, out var at) && at <= now)
                    cluster.Release(leaving.Dequeue());
            }

            requested += pod.Request.TotalGpuMilli;
            var placement = policy.Choose(cluster, pod.Request);
            if (placement is null)
            {
                failed++;
                if (pod.Request.GpuCount > 0)
                    atFirstFailure ??= cluster.AllocatedGpuShare;
                continue;
            }

            cluster.Allocate(placement);
            placed++;
            placedMilli += pod.Request.TotalGpuMilli;
            if (departures && pod.DeletionTime is { } deleted)
                leaving.Enqueue(placement, deleted);
        }

        return new TraceReplayResult(policy.Name, placed, failed, requested, placedMilli, atFirstFailure, cluster.AllocatedGpuShare);
    }
}
