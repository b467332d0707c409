namespace Gpunet.Coordinator.Leadership;

/// <summary>The leader election among coordinators over one store. Bound from the <c>Coordinator</c> section, keys as
/// named here (<c>Coordinator:LeaderLease</c>).</summary>
public sealed class LeadershipOptions
{
    /// <summary>This coordinator's id in the leader lease, shown to anyone by <c>GET /api/v1/network</c>. Default:
    /// <c>coordinator-</c> and 12 random hex digits, new at every start (not the machine's name, which would tell the
    /// public about the operator's machines). Set it to a name unique in the network to have a restarted coordinator
    /// take its lease back at once instead of after <see cref="LeaderLease"/>; two coordinators must never share one.</summary>
    public string? CoordinatorId { get; set; }

    /// <summary>How long the leader lease stands without a renewal before another coordinator may take it: a leader's
    /// death costs at most this much of the network's duties. Default 6 seconds.</summary>
    public TimeSpan LeaderLease { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>How often the leader renews its lease, and a follower reads it. Default 2 seconds (a third of the lease:
    /// two renewals may fail before it lapses).</summary>
    public TimeSpan LeaderRenewInterval { get; set; } = TimeSpan.FromSeconds(2);
}
