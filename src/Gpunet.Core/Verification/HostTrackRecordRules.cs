using Gpunet.Core.Hosts;
using Gpunet.Core.Marketplace;

namespace Gpunet.Core.Verification;

/// <summary>How a host's history becomes its <see cref="HostTrackRecord"/>: which lease ends are its credit or its
/// fault, and how many minutes it was down.</summary>
/// <remarks>Pure. Up time is credited only as checkers verify it (liveness checks passed); down time is debited from
/// both liveness checks failed and the minutes the coordinator saw the host Offline, because no checker probes an
/// offline host: without the second, a host that switches off would never lose uptime.</remarks>
public static class HostTrackRecordRules
{
    // Stored end reasons are spelled as the API shows them (LeaseLifecycle.Spell).
    private static readonly Dictionary<string, LeaseEndReason> Spelled =
        Enum.GetValues<LeaseEndReason>().ToDictionary(LeaseLifecycle.Spell, StringComparer.Ordinal);

    /// <summary>How an end spelled <paramref name="endReason"/> (<c>completed</c>, <c>host-lost</c>, …) counts; an
    /// unknown spelling is not counted.</summary>
    public static LeaseEndCount Count(string endReason) =>
        Spelled.TryGetValue(endReason, out var reason) ? Count(reason) : LeaseEndCount.NotCounted;

    /// <summary>How an end with <paramref name="reason"/> counts for the host it ran on.</summary>
    public static LeaseEndCount Count(LeaseEndReason reason) => reason switch
    {
        // Ran on the host until the workload, the customer or the term ended it.
        LeaseEndReason.Completed or LeaseEndReason.ExitNonzero or LeaseEndReason.TermEnded or LeaseEndReason.Cancelled
            or LeaseEndReason.FundsExhausted or LeaseEndReason.LimitExceeded => LeaseEndCount.Completed,
        // The host went away, lost the workload, or never started it.
        LeaseEndReason.HostLost or LeaseEndReason.WorkloadLost or LeaseEndReason.StartTimeout => LeaseEndCount.Interrupted,
        // StartFailed is the customer's program as often as the host's runtime; QueueTimeout never reached a host;
        // Compliance is a policy decision, not a broken promise.
        _ => LeaseEndCount.NotCounted,
    };

    /// <summary>Minutes the host spent Offline between <paramref name="from"/> and <paramref name="to"/>.</summary>
    /// <param name="changes">The host's state changes in the window, in any order.</param>
    /// <param name="current">The host's state now: its state through the whole window when nothing changed in it.</param>
    /// <param name="from">The window's start, UTC.</param>
    /// <param name="to">The window's end (now), UTC.</param>
    public static double OfflineMinutes(IReadOnlyList<HostStateChange> changes, HostState current, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (to <= from)
            return 0;
        var ordered = changes.Where(c => c.At >= from && c.At <= to).OrderBy(c => c.At).ToList();
        // The state at the window's start is where the first change came from (null: not registered yet).
        HostState? state = ordered.Count > 0 ? ordered[0].From : current;
        var since = from;
        var offline = TimeSpan.Zero;
        foreach (var change in ordered)
        {
            if (state == HostState.Offline)
                offline += change.At - since;
            state = change.To;
            since = change.At;
        }

        if (state == HostState.Offline)
            offline += to - since;
        return offline.TotalMinutes;
    }
}
