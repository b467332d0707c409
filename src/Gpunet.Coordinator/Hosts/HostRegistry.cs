using System.Collections.Concurrent;
using Gpunet.Coordinator.Storage;

namespace Gpunet.Coordinator.Hosts;

/// <summary>Every known host, in memory, indexed by id; loaded from the store at start. Hosts are never removed.</summary>
internal sealed class HostRegistry
{
    private readonly ConcurrentDictionary<string, HostEntry> _hosts = new(StringComparer.Ordinal);
    private readonly List<HostEntry> _inOrder = [];
    private readonly Lock _orderLock = new();

    public int Count => _hosts.Count;

    /// <summary>A copy of every entry (it takes every lock of the dictionary: not for hot paths).</summary>
    public ICollection<HostEntry> Entries => _hosts.Values;

    public bool TryGet(string id, out HostEntry entry) => _hosts.TryGetValue(id, out entry!);

    public HostEntry GetOrAdd(string id, Func<HostEntry> create)
    {
        if (_hosts.TryGetValue(id, out var existing))
            return existing;
        var entry = create();
        if (!_hosts.TryAdd(id, entry))
            return _hosts[id];
        lock (_orderLock)
            _inOrder.Add(entry);
        return entry;
    }

    /// <summary>The entries added after the first <paramref name="known"/>, in the order they were added: what a
    /// reader that has seen <paramref name="known"/> entries has not seen yet.</summary>
    public HostEntry[] AddedSince(int known)
    {
        lock (_orderLock)
            return known >= _inOrder.Count ? [] : [.. _inOrder.Skip(known)];
    }

    public void Load(IEnumerable<HostRecord> records)
    {
        foreach (var r in records)
            GetOrAdd(r.Id, () => new HostEntry(r));
    }
}
