namespace Gpunet.Core.Marketplace;

/// <summary>The catalog models an order accepts (<see cref="OrderMatcher.AcceptableModels"/>), remembered for the
/// last few distinct model lists and minimums, so that a stream of like orders resolves its models once.</summary>
/// <remarks>Entries compare the order's names by value (a copy is kept), never by reference. Not thread-safe.</remarks>
internal sealed class AcceptableModelsCache
{
    private const int Size = 8;

    private readonly Entry[] _entries = new Entry[Size];
    private int _next;

    /// <summary>The order's acceptable canonical models; null: any model.</summary>
    public string[]? AcceptableModels(OrderSpec order)
    {
        foreach (var e in _entries)
        {
            if (e is not null && e.Vram == order.MinVramGb && e.Compute == order.MinComputeCapability && SameNames(e.Names, order.Models))
                return e.Models;
        }

        var models = OrderMatcher.AcceptableModels(order);
        _entries[_next] = new Entry([.. order.Models], order.MinVramGb, order.MinComputeCapability, models);
        _next = (_next + 1) % Size;
        return models;
    }

    private static bool SameNames(string[] kept, IReadOnlyList<string> names)
    {
        if (kept.Length != names.Count)
            return false;
        for (var i = 0; i < kept.Length; i++)
        {
            if (!string.Equals(kept[i], names[i], StringComparison.Ordinal))
                return false;
        }

        return true;
    }

    private sealed record Entry(string[] Names, int? Vram, decimal? Compute, string[]? Models);
}
