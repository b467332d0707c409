using System.Collections.Concurrent;

namespace Gpunet.Coordinator.Verification;

/// <summary>The checks this coordinator issued and has not decided, and when each host last had each kind issued.</summary>
internal sealed class CheckBook
{
    private readonly ConcurrentDictionary<string, OpenCheck> _open = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Host, string Kind), DateTimeOffset> _lastIssued = new();

    private readonly ConcurrentDictionary<string, DateTimeOffset> _nextCapacity = new(StringComparer.Ordinal);

    /// <summary>Every open check.</summary>
    public ICollection<OpenCheck> Open => _open.Values;

    public void Add(OpenCheck check)
    {
        _open[check.Id] = check;
        if (check.Host is { } host)
            _lastIssued[(host.Id, check.Record.Kind)] = check.Record.IssuedAt;
    }

    public bool TryGet(string id, out OpenCheck check) => _open.TryGetValue(id, out check!);

    /// <summary>Takes a check out of the book to decide it; false when someone else already did.</summary>
    public bool TryTake(string id, out OpenCheck check) => _open.TryRemove(id, out check!);

    /// <summary>Whether <paramref name="hostId"/> has an open check of <paramref name="kind"/>.</summary>
    public bool HasOpen(string hostId, string kind) => _open.Values.Any(c => c.Host?.Id == hostId && c.Record.Kind == kind);

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
