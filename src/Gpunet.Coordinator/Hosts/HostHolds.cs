using System.Collections.Concurrent;
namespace Gpunet.Coordinator.Hosts;

/// <summary>Holds on hosts from outside compliance (a failed capacity check): a held host is kept from being matched
/// like a compliance hold (the host monitor pauses it), with the reason shown on the host.</summary>
internal sealed class HostHolds
{
    private readonly ConcurrentDictionary<string, string> _holds = new(StringComparer.Ordinal);

    /// <summary>Holds <paramref name="hostId"/> for <paramref name="reason"/> (replacing an earlier one).</summary>
    public void Hold(string hostId, string reason) => _holds[hostId] = reason;

    /// <summary>Lifts the hold on <paramref name="hostId"/>; false when there was none.</summary>
    public bool Lift(string hostId) => _holds.TryRemove(hostId, out _);

    /// <summary>Hosts held now.</summary>
    public int Count => _holds.Count;

    /// <summary>Why <paramref name="hostId"/> is held, or null.</summary>
    public string? ReasonOf(string hostId) => _holds.TryGetValue(hostId, out var reason) ? reason : null;
}
