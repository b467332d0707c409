namespace Gpunet.Core.Hosts;

/// <summary>How far a reader of a change sequence (the store's host changes, numbered by an identity column) has read,
/// so that it takes every change once and misses none: numbers are handed out when a transaction writes, not when it
/// commits, so a later number may be seen before an earlier one. A number skipped over is a gap, read again until it
/// turns up or has been missing for <see cref="GapWait"/> (its transaction rolled back, and the number never comes).</summary>
/// <remarks>Not thread-safe: one reader owns it. No clock of its own: callers pass the time.</remarks>
public sealed class ChangeSequenceCursor
{
    /// <summary>The widest jump whose numbers are waited for: a wider one is no set of transactions in flight (a
    /// PostgreSQL sequence moves on by its cached values after a crash), and its numbers are not waited for.</summary>
    public const int MaxGap = 1024;

    private readonly SortedDictionary<long, long> _gaps = [];

    /// <summary>A cursor that has read everything up to and including <paramref name="after"/>.</summary>
    public ChangeSequenceCursor(long after, TimeSpan gapWait)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(after);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(gapWait, TimeSpan.Zero);
        After = after;
        GapWait = gapWait;
    }

    /// <summary>The highest number taken.</summary>
    public long After { get; private set; }

    /// <summary>How long a skipped number is waited for.</summary>
    public TimeSpan GapWait { get; }

    /// <summary>The numbers skipped over and still waited for, lowest first.</summary>
    public IReadOnlyCollection<long> Gaps => _gaps.Keys;

    /// <summary>Where the next read starts: it asks for every number above this one (those already taken are skipped by
    /// <see cref="Take"/>).</summary>
    public long ReadAfter => _gaps.Count == 0 ? After : Math.Min(After, _gaps.Keys.First() - 1);

    /// <summary>Takes the numbers a read returned (every number above <see cref="ReadAfter"/> up to some limit, in any
    /// order) at <paramref name="nowMs"/> (Unix milliseconds); returns those not taken before, in ascending order.</summary>
    public IReadOnlyList<long> Take(IEnumerable<long> read, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(read);
        var fresh = new List<long>();
        foreach (var n in read.Distinct().Order())
        {
            if (n > After)
            {
                // Numbers between the last taken and this one are not committed yet (or never will be).
                if (n - After - 1 <= MaxGap)
                {
                    for (var missing = After + 1; missing < n; missing++)
                        _gaps[missing] = nowMs;
                }

                After = n;
                fresh.Add(n);
            }
            else if (_gaps.Remove(n))
            {
                fresh.Add(n);
            }
        }

        var expired = _gaps.Where(g => nowMs - g.Value >= (long)GapWait.TotalMilliseconds).Select(g => g.Key).ToList();
        foreach (var n in expired)
            _gaps.Remove(n);
        return fresh;
    }
}
