namespace Gpunet.Core.Metering;

/// <summary>The periods in which the coordinator heard one host: heartbeats at most <c>maxGapMs</c> apart make the span
/// between them heard; a longer silence is not heard. Time the host was not heard from is not billed.</summary>
/// <remarks>
/// Times are Unix milliseconds, UTC, from the coordinator's clock. The span after the latest heartbeat is not heard
/// until a later heartbeat (within <c>maxGapMs</c>) confirms it. Thread-safe; <see cref="Heard"/> is on the heartbeat
/// path and allocates only when a silence closes a period (and then amortised). History older than the horizon
/// (default 48 h) before the latest heartbeat is dropped.
/// </remarks>
public sealed class HeardTimeline
{
    /// <summary>Default history kept: 48 hours.</summary>
    public const long DefaultHorizonMs = 48L * 3600 * 1000;

    private readonly Lock _lock = new();
    private readonly Queue<(long Start, long End)> _closed = new();
    private readonly long _maxGapMs;
    private readonly long _horizonMs;
    private long _start = long.MinValue;
    private long _end = long.MinValue;

    /// <param name="maxGapMs">Longest silence between two heartbeats that still counts as heard.</param>
    /// <param name="horizonMs">How much history to keep before the latest heartbeat.</param>
    public HeardTimeline(long maxGapMs, long horizonMs = DefaultHorizonMs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxGapMs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(horizonMs);
        _maxGapMs = maxGapMs;
        _horizonMs = horizonMs;
    }

    /// <summary>Longest silence between two heartbeats that still counts as heard.</summary>
    public long MaxGapMs => _maxGapMs;

    /// <summary>The latest heartbeat; <see cref="long.MinValue"/> before the first.</summary>
    public long LastHeardMs
    {
        get
        {
            lock (_lock)
                return _end;
        }
    }

    /// <summary>Records a heartbeat at <paramref name="unixMs"/>. One earlier than the latest is ignored.</summary>
    public void Heard(long unixMs)
    {
        lock (_lock)
        {
            if (_end == long.MinValue)
            {
                _start = _end = unixMs;
                return;
            }

            if (unixMs <= _end)
                return;
            if (unixMs - _end <= _maxGapMs)
            {
                _end = unixMs;
                return;
            }

            // A silence: the current period closes (a lone heartbeat heard no time and is not kept).
            if (_end > _start)
                _closed.Enqueue((_start, _end));
            _start = _end = unixMs;
            while (_closed.TryPeek(out var oldest) && oldest.End < unixMs - _horizonMs)
                _closed.Dequeue();
        }
    }

    /// <summary>Starts this (empty) timeline from a heard period known from before: what an earlier coordinator stored,
    /// heard from <paramref name="fromMs"/> through <paramref name="toMs"/> with no longer silence than the gap.</summary>
    /// <remarks>The period is taken as heard and as the current one: a heartbeat within <see cref="MaxGapMs"/> of
    /// <paramref name="toMs"/> continues it, as it would have continued in the coordinator that stored it; a later one
    /// starts a new period. A period that ends before it starts seeds nothing: <paramref name="toMs"/> was not a time the
    /// host was heard at (see <see cref="HeardSinceMs"/>).</remarks>
    /// <exception cref="InvalidOperationException">A heartbeat was already recorded: what this coordinator heard is
    /// newer than anything stored.</exception>
    public void Seed(long fromMs, long toMs)
    {
        lock (_lock)
        {
            if (_end != long.MinValue)
                throw new InvalidOperationException("a heard timeline is seeded before its first heartbeat");
            if (fromMs > toMs)
                return;
            _start = fromMs;
            _end = toMs;
        }
    }

    /// <summary>Since when the host has been heard without a silence longer than the gap, as of <paramref name="atMs"/>:
    /// the start of the heard period that holds <paramref name="atMs"/>; null when none does (the host was not heard then,
    /// or only later within the same heartbeat).</summary>
    /// <remarks>What a coordinator stores with the last-heard time it stores, so that [result, <paramref name="atMs"/>]
    /// is a heard period a restarted coordinator can <see cref="Seed"/> from. Asked with the stored time, not the latest
    /// heartbeat: a period that a silence split after <paramref name="atMs"/> must not be reported as reaching it.</remarks>
    public long? HeardSinceMs(long atMs)
    {
        lock (_lock)
        {
            if (_end != long.MinValue && _start <= atMs && atMs <= _end)
                return _start;
            foreach (var (s, e) in _closed)
            {
                if (s <= atMs && atMs <= e)
                    return s;
            }

            return null;
        }
    }

    /// <summary>Milliseconds of [<paramref name="fromMs"/>, <paramref name="toMs"/>) in which the host was heard.</summary>
    public long HeardMs(long fromMs, long toMs)
    {
        if (toMs <= fromMs)
            return 0;
        lock (_lock)
        {
            long total = 0;
            foreach (var (s, e) in _closed)
                total += Overlap(fromMs, toMs, s, e);
            if (_end != long.MinValue)
                total += Overlap(fromMs, toMs, _start, _end);
            return total;
        }
    }

    private static long Overlap(long from, long to, long start, long end) => Math.Max(0, Math.Min(to, end) - Math.Max(from, start));
}
