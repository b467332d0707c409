using System.Collections.Concurrent;

namespace Gpunet.Coordinator.Compliance;

/// <summary>Stored records kept in memory by key, for the gates to read without the store. A load replaces the whole
/// view at once; records this coordinator remembers or forgets while the store is read are laid over what was read, so
/// neither a new record nor a forgotten one is undone by the load.</summary>
/// <remarks>Thread-safe.</remarks>
/// <param name="key">A record's key.</param>
/// <param name="keep">Of the record known under a key and one arriving for it, the one to keep.</param>
internal sealed class LoadedView<T>(Func<T, string> key, Func<T, T, T> keep) where T : class
{
    private readonly Lock _swap = new();
    private ConcurrentDictionary<string, T> _view = new(StringComparer.Ordinal);
    private List<(T Record, bool Forgotten)>? _duringLoad;

    /// <summary>The record kept under <paramref name="k"/>, if any.</summary>
    public T? Get(string k) => _view.GetValueOrDefault(k);

    /// <summary>Lays a record over the view (one committed, or on its way to the store).</summary>
    public void Remember(T record)
    {
        lock (_swap)
        {
            Lay(_view, record);
            _duringLoad?.Add((record, false));
        }
    }

    /// <summary>Takes <paramref name="record"/> out of the view, if it is still the one kept under its key.</summary>
    public void Forget(T record)
    {
        lock (_swap)
        {
            _view.TryRemove(new KeyValuePair<string, T>(key(record), record));
            _duringLoad?.Add((record, true));
        }
    }

    /// <summary>Replaces the view with the records <paramref name="read"/> returns, with what was remembered or forgotten
    /// meanwhile laid over them.</summary>
    public async Task LoadAsync(Func<CancellationToken, Task<IReadOnlyList<T>>> read, CancellationToken ct)
    {
        lock (_swap)
            _duringLoad = [];
        try
        {
            var view = new ConcurrentDictionary<string, T>(StringComparer.Ordinal);
            foreach (var record in await read(ct))
                Lay(view, record);
            lock (_swap)
            {
                foreach (var (record, forgotten) in _duringLoad!)
                {
                    if (forgotten)
                        view.TryRemove(new KeyValuePair<string, T>(key(record), record));
                    else
                        Lay(view, record);
                }

                _view = view;
            }
        }
        finally
        {
            lock (_swap)
                _duringLoad = null;
        }
    }

    private void Lay(ConcurrentDictionary<string, T> view, T record) =>
        view.AddOrUpdate(key(record), record, (_, known) => keep(known, record));
}
