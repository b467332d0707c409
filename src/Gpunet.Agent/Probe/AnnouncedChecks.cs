using Gpunet.Core.Identity;
using Gpunet.Core.Verification;
using Gpunet.Protocol;

namespace Gpunet.Agent.Probe;

/// <summary>The checks the coordinator announced to this host (ExpectCheck), which its probe endpoint answers.</summary>
/// <remarks>Bounded: at most <see cref="Capacity"/> open checks; an expired check is dropped when the next arrives,
/// and a full table drops the check that expires first, so a flood of announcements cannot grow the agent's memory.
/// Thread-safe: one lock around the table (announcements come from the stream reader, look-ups from probe calls).</remarks>
internal sealed class AnnouncedChecks(TimeProvider time, int capacity = AnnouncedChecks.DefaultCapacity)
{
    /// <summary>Open checks kept by default.</summary>
    public const int DefaultCapacity = 256;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _checks = new(StringComparer.Ordinal);

    /// <summary>The most open checks kept.</summary>
    public int Capacity => capacity;

    /// <summary>Open checks now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
                return _checks.Count;
        }
    }

    /// <summary>Remembers an announced check; null when taken, otherwise why it was not (a malformed announcement).</summary>
    public string? Announce(ExpectCheck expect)
    {
        ArgumentNullException.ThrowIfNull(expect);
        if (string.IsNullOrEmpty(expect.CheckId) || !CheckKind.IsKnown(expect.Kind))
            return $"check '{expect.CheckId}' of kind '{expect.Kind}': an id and a known kind are required";
        var checkers = new List<Address>();
        foreach (var text in expect.Checkers)
        {
            if (!Address.TryParse(text, out var address, out var error))
                return $"check {expect.CheckId}: checker '{text}': {error}";
            checkers.Add(address);
        }

        var check = new AnnouncedCheck(expect.CheckId, expect.Kind, checkers, DateTimeOffset.FromUnixTimeMilliseconds(expect.ExpiresAtUnixMs),
            expect.Size, expect.Products, expect.TimingSize, expect.TimingProducts, expect.InnerSize, expect.TimingInnerSize, expect.Trap);
        if (ProbeAdmission.AnnouncementError(check) is { } beyond)
            return $"check {expect.CheckId}: {beyond}";
        var now = time.GetUtcNow();
        lock (_gate)
        {
            foreach (var expired in _checks.Values.Where(e => e.Check.ExpiresAt <= now).Select(e => e.Check.CheckId).ToList())
                _checks.Remove(expired);
            if (!_checks.ContainsKey(check.CheckId) && _checks.Count >= capacity)
                _checks.Remove(_checks.Values.MinBy(e => e.Check.ExpiresAt)!.Check.CheckId);
            // A repeated announcement (the coordinator resends after a reconnect) keeps the starts already made.
            _checks[check.CheckId] = _checks.TryGetValue(check.CheckId, out var known) ? known with { Check = check } : new Entry(check, [], []);
        }

        return null;
    }

    /// <summary>The announced check with this id, expired or not; null when none is.</summary>
    public AnnouncedCheck? Find(string checkId)
    {
        lock (_gate)
            return _checks.TryGetValue(checkId, out var entry) ? entry.Check : null;
    }

    /// <summary>Records <paramref name="checker"/>'s one heavy run of <paramref name="checkId"/> (a capacity run, or a
    /// service check's download); false when it has started one already (a replay, or a checker using the host's
    /// bandwidth or GPUs for more than the check needs).</summary>
    public bool TryStartRun(string checkId, Address checker)
    {
        lock (_gate)
            return _checks.TryGetValue(checkId, out var entry) && entry.Started.Add(checker);
    }

    /// <summary>Counts one ping by <paramref name="checker"/> for <paramref name="checkId"/>; false when it has had
    /// <paramref name="limit"/> already (or the check is gone).</summary>
    public bool TryPing(string checkId, Address checker, int limit)
    {
        lock (_gate)
        {
            if (!_checks.TryGetValue(checkId, out var entry))
                return false;
            var pings = entry.Pings.GetValueOrDefault(checker);
            if (pings >= limit)
                return false;
            entry.Pings[checker] = pings + 1;
            return true;
        }
    }

    // Pings is keyed by the check's assigned checkers only (admission comes first), so it holds at most 2N+1 entries.
    private sealed record Entry(AnnouncedCheck Check, HashSet<Address> Started, Dictionary<Address, int> Pings);
}
