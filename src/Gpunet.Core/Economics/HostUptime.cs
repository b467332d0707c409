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
        ArgumentNullException.ThrowIfNull(changes);
        var ready = new Dictionary<string, long>(StringComparer.Ordinal);
        string? current = null;
        HostState? state = null;
        var since = start;
        void Close(DateTimeOffset until)
        {
            if (current is not null && state == HostState.Ready && until > since)
                ready[current] = ready.GetValueOrDefault(current) + (long)(until - since).TotalSeconds;
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
        return ready;
    }
}
