namespace Gpunet.Core.Economics;

/// <summary>A planner's input list in key order, each key once. Inputs read from a store usually come sorted already:
/// checking the order is linear, sorting is not. A key listed twice is refused.</summary>
internal static class UniqueSorted
{
    /// <summary>The items ordered by their string key (ordinal); the error names the key.</summary>
    public static T[] By<T>(IReadOnlyList<T> items, Func<T, string> key, string what) =>
        By(items, key, StringComparer.Ordinal, what, static (_, k) => k);

    /// <summary>The items ordered by their numeric key; the error names the item.</summary>
    public static T[] By<T>(IReadOnlyList<T> items, Func<T, long> key, string what) =>
        By(items, key, Comparer<long>.Default, what, static (item, _) => item?.ToString());

    /// <summary>Whether <paramref name="list"/> is already in <paramref name="comparer"/>'s order.</summary>
    public static bool InOrder<TKey>(IReadOnlyList<TKey> list, IComparer<TKey> comparer)
    {
        for (var i = 1; i < list.Count; i++)
        {
            if (comparer.Compare(list[i - 1], list[i]) > 0)
                return false;
        }

        return true;
    }

    private static T[] By<T, TKey>(IReadOnlyList<T> items, Func<T, TKey> key, IComparer<TKey> comparer, string what, Func<T, TKey, string?> name)
    {
        ArgumentNullException.ThrowIfNull(items);
        var array = items.ToArray();
        var keys = Array.ConvertAll(array, x => key(x));
        if (!InOrder(keys, comparer))
            Array.Sort(keys, array, comparer);
        for (var i = 1; i < keys.Length; i++)
        {
            if (comparer.Compare(keys[i], keys[i - 1]) == 0)
                throw new ArgumentException($"{what} {name(array[i], keys[i])} is listed twice", nameof(items));
        }

        return array;
    }
}
