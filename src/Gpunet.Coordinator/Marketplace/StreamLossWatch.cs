namespace Gpunet.Coordinator.Marketplace;

/// <summary>Which hosts holding leases here lost their agent's stream and did not come back within a window: their death is
/// as certain as this coordinator can know it (the agent's process or machine is gone, so its connection closed), so their
/// restartable leases need not wait for the whole offline grace.</summary>
/// <remarks>Not thread-safe: the market's loop owns it. Only a stream this coordinator saw attached counts: after a
/// coordinator restart, agents that have not reconnected yet are not known dead. Each loss is reported once.</remarks>
internal sealed class StreamLossWatch(TimeSpan window)
{
    /// <summary>Per host: null while its stream is attached, else when it was first seen gone (and whether reported).</summary>
    private readonly Dictionary<string, (DateTimeOffset Since, bool Reported)?> _hosts = new(StringComparer.Ordinal);

    /// <summary>The window after which a lost stream counts as a dead host.</summary>
    public TimeSpan Window { get; } = window;

    /// <summary>Looks at the hosts holding leases here; returns those whose stream has been gone for the window.</summary>
    public List<HostSlot> Lost(IEnumerable<HostSlot> holding, DateTimeOffset now)
    {
        var lost = new List<HostSlot>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var slot in holding)
        {
            var id = slot.Entry.Id;
            if (!seen.Add(id))
                continue;
            if (slot.Entry.Session is not null)
            {
                _hosts[id] = null;
                continue;
            }

            if (!_hosts.TryGetValue(id, out var gone))
                continue; // never seen attached here
            if (gone is null)
                _hosts[id] = (now, false);
            else if (!gone.Value.Reported && now - gone.Value.Since >= Window)
            {
                _hosts[id] = (gone.Value.Since, true);
                lost.Add(slot);
            }
        }

        // Hosts that no longer hold leases here are forgotten.
        foreach (var id in _hosts.Keys.Where(id => !seen.Contains(id)).ToList())
            _hosts.Remove(id);
        return lost;
    }
}
