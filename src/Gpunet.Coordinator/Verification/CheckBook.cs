using System.Collections.Concurrent;

namespace Gpunet.Coordinator.Verification;

/// <summary>The checks this coordinator issued and has not decided, and when each host last had each kind issued.</summary>
internal sealed class CheckBook
{
    private readonly ConcurrentDictionary<string, OpenCheck> _open = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Host, string Kind), DateTimeOffset> _lastIssued = new();

    private readonly ConcurrentDictionary<string, DateTimeOffset> _nextCapacity = new(StringComparer.Ordinal);

    private readonly ConcurrentQueue<OpenCheck> _toAssign = new();

    // Counts kept as checks come and go, so that the scheduler's questions per host and per checker are lookups, not a
    // pass over every open check (hosts × open checks a tick on a large network).
    private readonly ConcurrentDictionary<(string Host, string Kind), int> _openByHost = new();
    private readonly ConcurrentDictionary<string, int> _openByChecker = new(StringComparer.Ordinal);

    /// <summary>Every open check.</summary>
    public ICollection<OpenCheck> Open => _open.Values;

    public void Add(OpenCheck check)
    {
        if (!_open.TryAdd(check.Id, check))
            return;
        Count(check, +1);
        if (check.Host is { } host)
            _lastIssued[(host.Id, check.Record.Kind)] = check.Record.IssuedAt;
    }

    public bool TryGet(string id, out OpenCheck check) => _open.TryGetValue(id, out check!);

    /// <summary>Takes a check out of the book to decide it; false when someone else already did.</summary>
    public bool TryTake(string id, out OpenCheck check)
    {
        if (!_open.TryRemove(id, out check!))
            return false;
        Count(check, -1);
        return true;
    }

    /// <summary>Whether <paramref name="hostId"/> has an open check of <paramref name="kind"/>.</summary>
    public bool HasOpen(string hostId, string kind) => _openByHost.GetValueOrDefault((hostId, kind)) > 0;

    /// <summary>How many open checks <paramref name="checker"/> is assigned.</summary>
    public int OpenFor(string checker) => _openByChecker.GetValueOrDefault(checker);

    private void Count(OpenCheck check, int by)
    {
        if (check.Host is { } host)
            _openByHost.AddOrUpdate((host.Id, check.Record.Kind), by, (_, n) => n + by);
        foreach (var a in check.Assigned)
            _openByChecker.AddOrUpdate(a.Checker.Value, by, (_, n) => n + by);
    }

    /// <summary>A second panel's check, issued while a check was decided: the scheduler assigns it at its next tick,
    /// once its host has had the announce lead to take it in.</summary>
    public void ToAssign(OpenCheck check) => _toAssign.Enqueue(check);

    /// <summary>The second panels issued since the last call, to assign now.</summary>
    public List<OpenCheck> TakeToAssign()
    {
        var taken = new List<OpenCheck>();
        while (_toAssign.TryDequeue(out var check))
            taken.Add(check);
        return taken;
    }

    /// <summary>When a check of <paramref name="kind"/> was last issued for <paramref name="hostId"/> here.</summary>
    public DateTimeOffset? LastIssued(string hostId, string kind) => _lastIssued.TryGetValue((hostId, kind), out var at) ? at : null;

    /// <summary>Whether <paramref name="hostId"/>'s capacity is due at <paramref name="now"/>: never checked since this
    /// coordinator heard it register, or its next check's time has come.</summary>
    public bool CapacityDue(string hostId, DateTimeOffset now) => !_nextCapacity.TryGetValue(hostId, out var next) || now >= next;

    /// <summary>When <paramref name="hostId"/>'s capacity is checked next.</summary>
    public void ScheduleCapacity(string hostId, DateTimeOffset at) => _nextCapacity[hostId] = at;

    /// <summary>Checks capacity at the host's next registration (its GPUs may have changed).</summary>
    public void Registered(string hostId) => _nextCapacity.TryRemove(hostId, out _);
}
