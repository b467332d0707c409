using System.Collections.Concurrent;
using Gpunet.Coordinator.Storage;

namespace Gpunet.Coordinator.Hosts;

/// <summary>Every known host, in memory, indexed by id; loaded from the store at start.</summary>
internal sealed class HostRegistry
{
    private readonly ConcurrentDictionary<string, HostEntry> _hosts = new(StringComparer.Ordinal);

    public int Count => _hosts.Count;

    public ICollection<HostEntry> Entries => _hosts.Values;

    public bool TryGet(string id, out HostEntry entry) => _hosts.TryGetValue(id, out entry!);

    public HostEntry GetOrAdd(string id, Func<HostEntry> create) => _hosts.GetOrAdd(id, _ => create());

    public void Load(IEnumerable<HostRecord> records)
    {
        foreach (var r in records)
            _hosts[r.Id] = new HostEntry(r);
    }
}
