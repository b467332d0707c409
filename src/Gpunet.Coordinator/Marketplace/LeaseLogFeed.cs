using System.Collections.Concurrent;
using System.Collections.Immutable;
using Gpunet.Coordinator.Storage;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>Pushes the log lines agents send to this coordinator to the customers following those leases (and, to the
/// followers that ask, each change of the lease's row this coordinator stores), and counts each customer's open follow
/// streams.</summary>
/// <remarks>Lines are published only once stored, a lease's batches in order (the market chains them), so a follower
/// that subscribes, then reads the store, then takes what is pushed sees every line once. Followers of a lease are an
/// immutable array swapped atomically.</remarks>
internal sealed class LeaseLogFeed
{
    private readonly ConcurrentDictionary<string, ImmutableArray<LogFollower>> _followers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);

    /// <summary>Subscribes to <paramref name="leaseId"/>'s lines from now on (and, with <paramref name="watchChanges"/>,
    /// to its row's changes); dispose to stop.</summary>
    public LogFollower Follow(string leaseId, bool watchChanges = false)
    {
        var follower = new LogFollower(leaseId, Unsubscribe, watchChanges);
        _followers.AddOrUpdate(leaseId, static (_, f) => [f], static (_, list, f) => list.Add(f), follower);
        return follower;
    }

    private void Unsubscribe(LogFollower follower)
    {
        while (_followers.TryGetValue(follower.LeaseId, out var list))
        {
            var rest = list.Remove(follower);
            var swapped = rest.IsEmpty
                ? _followers.TryRemove(new KeyValuePair<string, ImmutableArray<LogFollower>>(follower.LeaseId, list))
                : _followers.TryUpdate(follower.LeaseId, rest, list);
            if (swapped)
                return;
        }
    }

    /// <summary>Lines of <paramref name="leaseId"/>, stored, to its followers (called in order per lease).</summary>
    public void Publish(string leaseId, IReadOnlyList<LeaseLogRecord> lines)
    {
        if (lines.Count == 0 || !_followers.TryGetValue(leaseId, out var list))
            return;
        foreach (var f in list)
            f.Push(lines);
    }

    /// <summary><paramref name="leaseId"/>'s row changed in the store (a state, an endpoint): its watching followers read it again.</summary>
    public void Changed(string leaseId)
    {
        if (!_followers.TryGetValue(leaseId, out var list))
            return;
        foreach (var f in list)
            f.Changed();
    }

    /// <summary>The lease ended (its end is stored): its followers read the store once more and finish.</summary>
    public void Ended(string leaseId)
    {
        if (!_followers.TryGetValue(leaseId, out var list))
            return;
        foreach (var f in list)
            f.End();
    }

    /// <summary>Opens a follow stream for <paramref name="customer"/> unless they already have <paramref name="cap"/>
    /// open; <paramref name="open"/> is how many they have (before this one).</summary>
    public bool TryOpen(string customer, int cap, out int open)
    {
        while (true)
        {
            if (!_open.TryGetValue(customer, out open))
            {
                if (_open.TryAdd(customer, 1))
                    return true;
                continue;
            }

            if (open >= cap)
                return false;
            if (_open.TryUpdate(customer, open + 1, open))
                return true;
        }
    }

    /// <summary>Closes a stream <see cref="TryOpen"/> opened.</summary>
    public void Close(string customer)
    {
        while (_open.TryGetValue(customer, out var open))
        {
            if (open <= 1 ? _open.TryRemove(new KeyValuePair<string, int>(customer, open)) : _open.TryUpdate(customer, open - 1, open))
                return;
        }
    }
}
