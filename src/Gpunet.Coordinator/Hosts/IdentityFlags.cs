using System.Collections.Concurrent;
using Gpunet.Core.Hosts;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Hosts;

/// <summary>The identity conflicts hosts are held for, in this coordinator's memory: raised at registration (a GPU
/// claimed by two live hosts, a fingerprint seen from two places), read by the host monitor as part of each host's hold.</summary>
/// <remarks>Kept in memory, not stored: a conflict lasts only while its other party is live (<see cref="IdentityHold"/>),
/// which is shorter than a coordinator's restart matters for, and the audit log keeps every one for good.</remarks>
internal sealed class IdentityFlags(IOptions<HostsOptions> options)
{
    private readonly TimeSpan _gracePeriod = options.Value.OfflineGracePeriod;
    private readonly ConcurrentDictionary<string, IdentityFlag[]> _flags = new(StringComparer.Ordinal);

    /// <summary>Holds host <paramref name="hostId"/> for <paramref name="flag"/> (seen again: from its time on).</summary>
    public void Raise(string hostId, IdentityFlag flag) => _flags.AddOrUpdate(hostId, [flag], (_, flags) =>
        [.. flags.Where(f => f.Rule != flag.Rule || f.Counterpart != flag.Counterpart), flag]);

    /// <summary>The identity hold of host <paramref name="hostId"/> at <paramref name="now"/>; null when none.</summary>
    public string? HoldOf(string hostId, DateTimeOffset now)
    {
        if (!_flags.TryGetValue(hostId, out var flags))
            return null;
        var hold = IdentityHold.Of(flags, now, _gracePeriod);
        // Every conflict lapsed: forgotten, unless one was raised meanwhile (then the entry is no longer this array).
        if (hold is null)
            _flags.TryRemove(new KeyValuePair<string, IdentityFlag[]>(hostId, flags));
        return hold;
    }
}
