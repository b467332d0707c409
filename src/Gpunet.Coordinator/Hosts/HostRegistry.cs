using System.Collections.Concurrent;
using Gpunet.Coordinator.Storage;

namespace Gpunet.Coordinator.Hosts;

/// <summary>Every known host, in memory, indexed by id, by the UUIDs of its GPUs and by its operator; loaded from the
/// store at start. Hosts are never removed.</summary>
/// <remarks>The GPU index is this coordinator's view: the store's unique index on a GPU's UUID is the arbiter between
/// coordinators (see <see cref="HostRegistration"/>).</remarks>
internal sealed class HostRegistry
{
    private readonly ConcurrentDictionary<string, HostEntry> _hosts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _gpuHolders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, HostEntry>> _byOperator = new(StringComparer.Ordinal);
    private readonly List<HostEntry> _inOrder = [];
    private readonly Lock _orderLock = new();

    public int Count => _hosts.Count;

    /// <summary>A copy of every entry (it takes every lock of the dictionary: not for hot paths).</summary>
    public ICollection<HostEntry> Entries => _hosts.Values;

    /// <summary>The hosts <paramref name="operatorAddress"/> registered (a host's address is stored lowercase, as
    /// <see cref="Core.Identity.Address"/> spells it), by id: read from the operator's own index, so a wallet or a console
    /// page costs its own hosts, not the network's.</summary>
    public IEnumerable<HostEntry> OwnedBy(Core.Identity.Address operatorAddress) =>
        _byOperator.TryGetValue(operatorAddress.Value, out var owned)
            // A host moving to another operator leaves this index just after its record changes: the record decides.
            ? owned.Values.Where(e => e.Record.Address == operatorAddress.Value).OrderBy(e => e.Id, StringComparer.Ordinal)
            : [];

    public bool TryGet(string id, out HostEntry entry) => _hosts.TryGetValue(id, out entry!);

    /// <summary>The host that holds the GPU with this UUID, as far as this coordinator knows.</summary>
    public string? GpuHolder(string uuid) => _gpuHolders.TryGetValue(uuid, out var id) ? id : null;

    public HostEntry GetOrAdd(string id, Func<HostEntry> create)
    {
        if (_hosts.TryGetValue(id, out var existing))
            return existing;
        var entry = create();
        if (!_hosts.TryAdd(id, entry))
            return _hosts[id];
        IndexGpus(null, entry.Record);
        IndexOperator(null, entry);
        lock (_orderLock)
            _inOrder.Add(entry);
        return entry;
    }

    /// <summary>Replaces a host's registered description and keeps the GPU index in step.</summary>
    public void Replace(HostEntry entry, HostRecord record)
    {
        var before = entry.Record;
        entry.ReplaceRecord(record);
        IndexGpus(before, record);
        IndexOperator(before, entry);
    }

    private void IndexOperator(HostRecord? before, HostEntry entry)
    {
        var now = entry.Record.Address;
        if (before is not null && before.Address != now && _byOperator.TryGetValue(before.Address, out var was))
            was.TryRemove(entry.Id, out _);
        _byOperator.GetOrAdd(now, _ => new ConcurrentDictionary<string, HostEntry>(StringComparer.Ordinal))[entry.Id] = entry;
    }

    private void IndexGpus(HostRecord? before, HostRecord after)
    {
        if (before is not null)
        {
            foreach (var g in before.Gpus)
                _gpuHolders.TryRemove(new KeyValuePair<string, string>(g.Uuid, before.Id));
        }

        foreach (var g in after.Gpus)
            _gpuHolders[g.Uuid] = after.Id;
    }

    /// <summary>The entries added after the first <paramref name="known"/>, in the order they were added: what a
    /// reader that has seen <paramref name="known"/> entries has not seen yet.</summary>
    public HostEntry[] AddedSince(int known)
    {
        lock (_orderLock)
            return known >= _inOrder.Count ? [] : [.. _inOrder.Skip(known)];
    }

    /// <summary>The host change sequence number read before the hosts were loaded: the registry follows the store's
    /// changes from there (<see cref="HostChangeFeed"/>).</summary>
    public long ChangesLoadedAfter { get; private set; }

    public void Load(IEnumerable<HostRecord> records, long changesLoadedAfter = 0)
    {
        ChangesLoadedAfter = changesLoadedAfter;
        foreach (var r in records)
            GetOrAdd(r.Id, () => new HostEntry(r));
    }

    /// <summary>Takes hosts as the store holds them after another coordinator changed them: new ones are added, known
    /// ones take a new description, a newer state and a later last-heard time. Returns how many entries changed.</summary>
    public int Adopt(IEnumerable<HostRecord> stored)
    {
        var changed = 0;
        foreach (var r in stored)
        {
            HostEntry? made = null;
            var entry = GetOrAdd(r.Id, () => made = new HostEntry(r));
            if (ReferenceEquals(entry, made))
            {
                changed++;
                continue;
            }

            var before = entry.Record;
            if (!HostRegistration.SameDescription(before, r) || before.Address != r.Address)
            {
                // Readers hold the record they read: a new one replaces it whole (the state fields in it are not read).
                Replace(entry, r);
                changed++;
            }

            if (entry.AdoptStoredState(r))
                changed++;
            if (r.LastHeardAt is { } heard)
                entry.HeardElsewhere(heard);
        }

        return changed;
    }
}
