using System.Collections.Concurrent;

namespace Gpunet.Coordinator.Storage;

/// <summary>The host change rows this coordinator committed for changes its registry already holds (a registration, a
/// state transition): the change feed passes over them instead of reading those hosts back from the store. Without it
/// every coordinator re-read each host it registered or moved, ten thousand reads after a reconnect storm.</summary>
/// <remarks>Ids are noted only after their commit (SQLite may hand a rolled-back row's id to another writer's row), and
/// each is forgotten when the feed passes it, so the set holds only what the feed has not read yet. A row the feed reads
/// before it is noted is adopted as any other: the same host read again, no harm.</remarks>
internal sealed class OwnHostChanges
{
    private readonly ConcurrentDictionary<long, byte> _ids = new();

    /// <summary>Notes rows just committed by this coordinator.</summary>
    public void Committed(IEnumerable<HostChangeRecord> rows)
    {
        foreach (var row in rows)
            _ids.TryAdd(row.Id, 0);
    }

    /// <summary>True once for a row this coordinator wrote: the feed skips it.</summary>
    public bool Passes(long id) => _ids.TryRemove(id, out _);

    /// <summary>Rows noted and not yet passed by the feed.</summary>
    public int Pending => _ids.Count;
}
