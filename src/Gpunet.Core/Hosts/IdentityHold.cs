namespace Gpunet.Core.Hosts;

/// <summary>How identity conflicts hold a host: while any was seen within the offline grace period, the host is held (not
/// matched) with every conflict named in its state reason, beside any compliance hold.</summary>
/// <remarks>Pure. A conflict lasts while its other party is live by the rule every host is judged by (heard within the
/// grace period): a refused copy or claimant that gives up lets the host go back to Ready after that, and one that keeps
/// trying keeps it held. The audit log keeps every conflict for good.</remarks>
public static class IdentityHold
{
    /// <summary>The rule of a GPU UUID claimed by two live hosts.</summary>
    public const string GpuDoubleClaim = "gpu-double-claim";

    /// <summary>The rule of a fingerprint seen from two places at once (a cloned machine).</summary>
    public const string ClonedFingerprint = "cloned-fingerprint";

    /// <summary>How an identity hold's text starts, after <see cref="HostHealthPolicy.HoldPrefix"/>.</summary>
    public const string Prefix = "identity: ";

    /// <summary>The hold of a host with <paramref name="flags"/> at <paramref name="now"/>; null when none is in force.</summary>
    public static string? Of(IEnumerable<IdentityFlag> flags, DateTimeOffset now, TimeSpan gracePeriod)
    {
        ArgumentNullException.ThrowIfNull(flags);
        var active = flags.Where(f => InForce(f, now, gracePeriod))
            .OrderBy(f => f.Rule, StringComparer.Ordinal).ThenBy(f => f.Counterpart, StringComparer.Ordinal)
            .Select(f => f.Reason).ToList();
        return active.Count == 0 ? null : Prefix + string.Join("; ", active);
    }

    /// <summary>Whether <paramref name="flag"/> still holds its host at <paramref name="now"/>.</summary>
    public static bool InForce(IdentityFlag flag, DateTimeOffset now, TimeSpan gracePeriod)
    {
        ArgumentNullException.ThrowIfNull(flag);
        return now - flag.SeenAt < gracePeriod;
    }

    /// <summary>One hold of a host from its compliance hold (already prefixed) and its identity hold; null when neither.</summary>
    public static string? Join(string? complianceHold, string? identityHold) => (complianceHold, identityHold) switch
    {
        (_, null) => complianceHold,
        (null, _) => HostHealthPolicy.HoldPrefix + identityHold,
        _ => complianceHold + "; " + identityHold,
    };
}
