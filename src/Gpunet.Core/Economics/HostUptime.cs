using Gpunet.Core.Hosts;

namespace Gpunet.Core.Economics;

/// <summary>A host's time Ready in an epoch, from the stored state changes of every host.</summary>
/// <remarks>A host is in the state of its last change before a moment; before its first change it is in none (not
/// Ready). Changes before the epoch's start count from the start; changes at or after its end do not count. Whole
/// seconds, truncated per Ready stretch.</remarks>
public static class HostUptime
{
    /// <summary>Seconds each host was Ready in [<paramref name="start"/>, <paramref name="end"/>), from
    /// <paramref name="changes"/> ordered by host, then by time (a host with no Ready time is left out).</summary>
    /// <param name="changes">Each change: the host, the state it moved to, when.</param>
    public static Dictionary<string, long> ReadySeconds(
        IEnumerable<(string HostId, HostState To, DateTimeOffset At)> changes, DateTimeOffset start, DateTimeOffset end)
    {
        var ready = new Dictionary<string, long>(StringComparer.Ordinal);
        Walk(changes, start, end, static s => s == HostState.Ready, (host, stretch) => ready[host] = ready.GetValueOrDefault(host) + stretch.WholeSeconds);
        return ready;
    }

    /// <summary>Each host's Ready stretches in [<paramref name="start"/>, <paramref name="end"/>), earliest first, from
    /// <paramref name="changes"/> ordered by host, then by time (a host never Ready is left out); the whole seconds of
    /// a host's stretches sum to its <see cref="ReadySeconds"/>.</summary>
    /// <param name="changes">Each change: the host, the state it moved to, when.</param>
    public static Dictionary<string, List<UptimeStretch>> ReadyStretches(
        IEnumerable<(string HostId, HostState To, DateTimeOffset At)> changes, DateTimeOffset start, DateTimeOffset end)
    {
        var ready = new Dictionary<string, List<UptimeStretch>>(StringComparer.Ordinal);
        Walk(changes, start, end, static s => s == HostState.Ready, (host, stretch) =>
        {
            if (!ready.TryGetValue(host, out var list))
                ready[host] = list = [];
            list.Add(stretch);
        });
        return ready;
    }

    /// <summary>Seconds each host was not heard (Suspect or Offline) in [<paramref name="start"/>, <paramref name="end"/>),
    /// from <paramref name="changes"/> ordered by host, then by time (a host never unheard is left out): the offline time
    /// the daily host SLO limits.</summary>
    public static Dictionary<string, long> OfflineSeconds(
        IEnumerable<(string HostId, HostState To, DateTimeOffset At)> changes, DateTimeOffset start, DateTimeOffset end)
    {
        var offline = new Dictionary<string, long>(StringComparer.Ordinal);
        Walk(changes, start, end, static s => s is HostState.Suspect or HostState.Offline,
            (host, stretch) => offline[host] = offline.GetValueOrDefault(host) + stretch.WholeSeconds);
        return offline;
    }

    // Calls ready(host, stretch) for every stretch of time a host was in a counted state within the epoch, in the changes' order.
    private static void Walk(
        IEnumerable<(string HostId, HostState To, DateTimeOffset At)> changes, DateTimeOffset start, DateTimeOffset end, Func<HostState, bool> counted,
        Action<string, UptimeStretch> ready)
    {
        ArgumentNullException.ThrowIfNull(changes);
        string? current = null;
        HostState? state = null;
        var since = start;
        void Close(DateTimeOffset until)
        {
            if (current is not null && state is { } s && counted(s) && until > since)
                ready(current, new UptimeStretch(since, until));
        }

        foreach (var (hostId, to, at) in changes)
        {
            if (at >= end)
                continue;
            if (hostId != current)
            {
                Close(end);
                current = hostId;
                state = null;
                since = start;
            }

            var from = at < start ? start : at;
            Close(from);
            state = to;
            since = from;
        }

        Close(end);
    }
}
