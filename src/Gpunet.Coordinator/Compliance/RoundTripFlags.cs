using System.Collections.Concurrent;

namespace Gpunet.Coordinator.Compliance;

/// <summary>Hosts whose declared place the checkers' round trips contradict: compliance treats their location as
/// unconfirmed, whatever else says, until the round trips agree again.</summary>
internal sealed class RoundTripFlags
{
    private readonly ConcurrentDictionary<string, string> _flags = new(StringComparer.Ordinal);

    /// <summary>Flags <paramref name="hostId"/> with the evidence; false when it was already flagged.</summary>
    public bool Flag(string hostId, string evidence)
    {
        var added = !_flags.ContainsKey(hostId);
        _flags[hostId] = evidence;
        return added;
    }

    /// <summary>Clears the flag; false when there was none.</summary>
    public bool Clear(string hostId) => _flags.TryRemove(hostId, out _);

    /// <summary>The evidence against <paramref name="hostId"/>'s declared place, or null.</summary>
    public string? Of(string hostId) => _flags.TryGetValue(hostId, out var e) ? e : null;
}
