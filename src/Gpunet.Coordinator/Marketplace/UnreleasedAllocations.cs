namespace Gpunet.Coordinator.Marketplace;

/// <summary>Allocations whose release the store kept refusing (a failed write, not another coordinator's change): the
/// store holds their capacity taken, so without another try no coordinator of the network could place on it until a
/// restart's <see cref="StrayCapacity"/> sweep. Each is tried again after a wait that doubles from
/// <c>firstWait</c> up to <see cref="MaxWait"/>, until the store takes it or the allocation is gone.</summary>
/// <remarks>Not thread-safe: the market's loop owns it.</remarks>
internal sealed class UnreleasedAllocations(TimeSpan firstWait)
{
    /// <summary>The longest wait between two tries of one allocation.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, (DateTimeOffset Due, TimeSpan Wait)> _waiting = new(StringComparer.Ordinal);

    public int Count => _waiting.Count;

    /// <summary>The release of <paramref name="allocationId"/> was refused at <paramref name="now"/>: tried again after
    /// the first wait, or twice the last one.</summary>
    public void Refused(string allocationId, DateTimeOffset now)
    {
        var wait = _waiting.TryGetValue(allocationId, out var last)
            ? TimeSpan.FromTicks(Math.Min(MaxWait.Ticks, last.Wait.Ticks * 2))
            : firstWait;
        _waiting[allocationId] = (now + wait, wait);
    }

    /// <summary>The allocation is released (or gone): nothing more to try.</summary>
    public void Forget(string allocationId) => _waiting.Remove(allocationId);

    /// <summary>The allocations whose next try is due at <paramref name="now"/>.</summary>
    public List<string> Due(DateTimeOffset now) =>
        _waiting.Count == 0 ? [] : [.. _waiting.Where(w => w.Value.Due <= now).Select(w => w.Key)];
}
