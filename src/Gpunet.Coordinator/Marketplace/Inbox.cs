namespace Gpunet.Coordinator.Marketplace;

/// <summary>Items waiting for the market's loop, in the order they came; the loop takes them all at once, so what
/// piled up while it was busy is handled together (one store transaction for many, not one each).</summary>
/// <remarks>Thread-safe: any thread adds, the market's loop takes.</remarks>
internal sealed class Inbox<T>
{
    private readonly Lock _lock = new();
    private List<T> _items = [];

    /// <summary>Adds <paramref name="item"/>; true when the inbox was empty, so the caller must have it taken.</summary>
    public bool Add(T item)
    {
        lock (_lock)
        {
            _items.Add(item);
            return _items.Count == 1;
        }
    }

    /// <summary>Takes everything waiting, oldest first.</summary>
    public List<T> TakeAll()
    {
        lock (_lock)
        {
            var items = _items;
            _items = [];
            return items;
        }
    }
}
