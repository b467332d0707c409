using Gpunet.Core.Scheduling;

namespace Gpunet.Core.Marketplace;

/// <summary>Why an order matched nothing, or too few hosts: worked out only when a match fails.</summary>
internal static class MatchExplainer
{
    /// <summary>The first hard filter, in the order people think of them, that no node passes together with the
    /// ones before it; then the capacity, then the gang. <paramref name="matched"/>: the candidates the match found.</summary>
    public static string Explain(HostOffers offers, ClusterCapacity cluster, in MatchFilter f, int matched)
    {
        int ready = 0, model = 0, located = 0, priced = 0, near = 0, kept = 0, compliant = 0;
        string? refusal = null;
        var hosts = offers.Hosts;
        var placeAllowed = offers.PlaceAllowed;
        for (var i = 0; i < Math.Min(offers.Count, cluster.NodeCount); i++)
        {
            ref readonly var h = ref hosts[i];
            if (!h.Available)
                continue;
            ready++;
            if (!HasModel(cluster, i, f))
                continue;
            model++;
            if (!placeAllowed[h.Place])
                continue;
            located++;
            if (f.TooDear(h))
                continue;
            priced++;
            if (f.Measured && f.TooFar(LatencyModel.Haversine(h.Position, f.From)))
                continue;
            near++;
            if (f.Exclude?.Invoke(i) == true)
                continue;
            kept++;
            if (f.Compliance?.Invoke(i) is { } reason)
            {
                refusal ??= reason;
                continue;
            }

            compliant++;
        }

        var o = f.Order;
        return (ready, model, located, priced, near, kept, compliant) switch
        {
            (0, _, _, _, _, _, _) => MatchReasons.NoneReady,
            (_, 0, _, _, _, _, _) => MatchReasons.NoModelHost(o),
            (_, _, 0, _, _, _, _) => MatchReasons.NoneThere(o),
            (_, _, _, 0, _, _, _) => MatchReasons.TooDear(o),
            (_, _, _, _, 0, _, _) => MatchReasons.TooFar(o),
            (_, _, _, _, _, 0, _) => MatchReasons.AllExcluded(o, near),
            (_, _, _, _, _, _, 0) => MatchReasons.Refused(refusal ?? "refused", kept),
            _ when matched == 0 => MatchReasons.Busy(o, compliant),
            _ => MatchReasons.TooFew(o, matched),
        };
    }

    /// <summary>A gang the policy left unfinished: it refused a node of the band (never with the policies here).</summary>
    public static string PolicyFellShort(IPlacementPolicy policy, int placed, int hosts) =>
        $"the {policy.Name} policy placed only {placed} of {hosts} hosts";

    // The node has GPUs of an acceptable model, at least as many as the order wants per host (free or not).
    private static bool HasModel(ClusterCapacity cluster, int node, in MatchFilter f)
    {
        if (f.Request.GpuCount == 0)
            return true;
        ref readonly var n = ref cluster.Node(node);
        return n.ModelId >= 0 && ((f.Mask >> n.ModelId) & 1) != 0 && n.GpuCount >= f.Request.GpuCount;
    }
}
