using Gpunet.Coordinator.Compliance;

namespace Gpunet.IntegrationTests.Compliance;

/// <summary>The audit port in memory: entries numbered from 1, and one coordinator's cursor, which its own appends
/// advance while nobody else appended in between (as the audit log's does).</summary>
internal sealed class InMemoryAuditTrail : IAuditTrail
{
    private readonly Lock _lock = new();
    private readonly List<(long Sequence, AuditDraft Draft, (string List, string Policy) Versions)> _entries = [];
    private long _seen;

    public long Seen => Volatile.Read(ref _seen);

    /// <summary>Every entry, oldest first.</summary>
    public IReadOnlyList<(long Sequence, AuditDraft Draft, (string List, string Policy) Versions)> Entries
    {
        get
        {
            lock (_lock)
                return [.. _entries];
        }
    }

    public void MarkSeen(long head)
    {
        lock (_lock)
            _seen = Math.Max(_seen, head);
    }

    public Task<long> HeadAsync(CancellationToken ct)
    {
        lock (_lock)
            return Task.FromResult((long)_entries.Count);
    }

    public Task<List<(long Sequence, string Subject, string Rule, string Outcome)>> SinceAsync(long after, int limit, CancellationToken ct)
    {
        lock (_lock)
            return Task.FromResult(_entries.Where(e => e.Sequence > after).Take(limit).Select(e => (e.Sequence, e.Draft.Subject, e.Draft.Rule, e.Draft.Outcome)).ToList());
    }

    public Task RecordAsync(IReadOnlyList<AuditDraft> decisions, (string List, string Policy) versions, CancellationToken ct)
    {
        lock (_lock)
        {
            var before = _entries.Count;
            foreach (var d in decisions)
                _entries.Add((_entries.Count + 1, d, versions));
            if (before == _seen)
                _seen = _entries.Count;
        }

        return Task.CompletedTask;
    }

    /// <summary>Appends a decision another coordinator made: this one's cursor stays where it is.</summary>
    public void AppendFromAnotherCoordinator(AuditDraft decision)
    {
        lock (_lock)
            _entries.Add((_entries.Count + 1, decision, ("", "")));
    }
}
