using System.Text.Json;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Audit;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Compliance;

/// <summary>The hash-chained log of every compliance decision: appended in the same transaction as the decision it
/// records, verified by recomputing the chain.</summary>
/// <remarks>Thread-safe. Appends in this process take turns; coordinators sharing a database collide on the entry's
/// sequence (the primary key) and the loser retries its whole unit of work on the new head.</remarks>
internal sealed partial class AuditLog(IDbContextFactory<GpunetDb> dbFactory, TimeProvider time, ILogger<AuditLog> log) : IAuditTrail, IDisposable
{
    private const string HeadKey = "audit_head";
    private static readonly JsonSerializerOptions InputJson = new(JsonSerializerDefaults.Web) { WriteIndented = false };
    private readonly SemaphoreSlim _turn = new(1, 1);
    private long _seen;

    /// <summary>The head this coordinator knows its view of compliance to be current with: it advances with this
    /// coordinator's own appends, as long as no other coordinator appended in between. A head beyond it means another
    /// coordinator decided something (see <see cref="ComplianceService.RefreshIfChangedAsync"/>).</summary>
    public long Seen => Volatile.Read(ref _seen);

    /// <summary>Records that this coordinator's view is current with the log up to <paramref name="head"/>.</summary>
    public void MarkSeen(long head)
    {
        // Never backwards: what was seen stays seen.
        var seen = Volatile.Read(ref _seen);
        while (head > seen && Interlocked.CompareExchange(ref _seen, head, seen) != seen)
            seen = Volatile.Read(ref _seen);
    }

    /// <summary>The newest entry's sequence; 0 for an empty log.</summary>
    public async Task<long> HeadAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AuditLog.MaxAsync(a => (long?)a.Sequence, ct) ?? 0;
    }

    /// <summary>Runs <paramref name="work"/> in one transaction and appends the decisions it returns; both commit or
    /// neither. <paramref name="work"/> may run more than once (after a collision) and must read what it changes.</summary>
    /// <param name="versions">The list and policy versions to stamp on drafts that name none.</param>
    public async Task<T> CommitAsync<T>(
        Func<GpunetDb, Task<(T Result, IReadOnlyList<AuditDraft> Decisions)>> work, (string List, string Policy) versions, CancellationToken ct)
    {
        await _turn.WaitAsync(ct);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                var (result, decisions) = await work(db);
                try
                {
                    // A collision on the sequence refuses the append's insert (SQLite) or the save (PostgreSQL).
                    var (before, after) = decisions.Count > 0 ? await AppendAsync(db, decisions, versions, ct) : (-1, -1);
                    await db.SaveChangesAsync(ct);
                    await tx.CommitAsync(ct);
                    if (decisions.Count > 0)
                        Recorded?.Invoke(decisions);
                    // Nobody else appended since this coordinator was last current: it still is.
                    if (before >= 0 && before == Seen)
                        MarkSeen(after);
                    return result;
                }
                catch (DbUpdateException e) when (attempt < 5)
                {
                    LogCollision(log, e, attempt);
                }
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Raised when decisions are durable in the log (for metrics).</summary>
    public event Action<IReadOnlyList<AuditDraft>>? Recorded;

    /// <summary>Appends decisions that change nothing else (refusals of bad input).</summary>
    public Task RecordAsync(IReadOnlyList<AuditDraft> decisions, (string List, string Policy) versions, CancellationToken ct) =>
        CommitAsync<bool>(_ => Task.FromResult<(bool, IReadOnlyList<AuditDraft>)>((true, decisions)), versions, ct);

    private async Task<(long Before, long After)> AppendAsync(GpunetDb db, IReadOnlyList<AuditDraft> decisions, (string List, string Policy) versions, CancellationToken ct)
    {
        var head = await db.AuditLog.OrderByDescending(a => a.Sequence).FirstOrDefaultAsync(ct);
        var previous = head is null ? null : ToEntry(head);
        var before = head?.Sequence ?? 0;
        // Whole milliseconds: what the chain hashes, and what both stores keep exactly.
        var at = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        // On SQLite the entries go in through a prepared statement (a reconnect storm's location checks append thousands
        // at once, and EF's change tracker cost several times the insert); the transaction began IMMEDIATE, so no other
        // writer can take the sequence meanwhile. PostgreSQL keeps EF, whose batch SaveChanges sends.
        using var inserter = db.Database.IsSqlite() ? new SqliteRowInserter<AuditRecord>(db) : null;
        foreach (var d in decisions)
        {
            var entry = AuditChain.Append(previous, at, Clean(d.Subject), Clean(d.Rule), Clean(JsonSerializer.Serialize(d.Inputs, InputJson)),
                d.ListVersion ?? versions.List, d.PolicyVersion ?? versions.Policy, Clean(d.Outcome), Clean(d.DecidedBy));
            if (inserter is null)
                db.AuditLog.Add(ToRecord(entry));
            else
                inserter.Insert(ToRecord(entry));
            previous = entry;
        }

        // The head is kept beside the chain: a removed last entry leaves no gap in the chain itself.
        var meta = await db.Meta.FindAsync([HeadKey], ct);
        var value = $"{previous!.Sequence}:{previous.Hash}";
        if (meta is null)
            db.Meta.Add(new MetaRecord { Key = HeadKey, Value = value });
        else
            meta.Value = value;
        return (before, previous.Sequence);
    }

    // Text from outside (a participant's field names, a vendor's reason) may hold a lone surrogate, which has no UTF-8
    // form to hash: it becomes U+FFFD, as any UTF-8 round trip would make it.
    private static string Clean(string text) => System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Recomputes the whole chain and compares its end with the recorded head.</summary>
    /// <remarks>Streams the log once, in sequence order: memory stays flat however long it is.</remarks>
    public async Task<AuditVerification> VerifyAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // The recorded head first: entries appended while the chain is read (a live network) are left for next time.
        var head = await db.Meta.AsNoTracking().FirstOrDefaultAsync(m => m.Key == HeadKey, ct);
        long? seq = null;
        string? hash = null;
        if (head is not null && head.Value.Split(':') is [var seqText, var h] && long.TryParse(seqText, out var s))
            (seq, hash) = (s, h);
        var upTo = seq ?? long.MaxValue;

        AuditEntry? last = null;
        IEnumerable<AuditEntry> Stream()
        {
            foreach (var r in db.AuditLog.AsNoTracking().Where(a => a.Sequence <= upTo).OrderBy(a => a.Sequence).AsEnumerable())
            {
                ct.ThrowIfCancellationRequested();
                last = ToEntry(r);
                yield return last;
            }
        }

        var result = await Task.Run(() => AuditChain.Verify(Stream()), ct);
        if (!result.Valid || seq is not { } recorded)
            return result;
        var end = last?.Sequence ?? 0;
        if (end < recorded)
            return result with { Valid = false, FirstInvalidSequence = end + 1, Problem = $"entries {end + 1} to {recorded} are missing (removed from the end of the log)" };
        if (last!.Hash != hash)
            return result with { Valid = false, FirstInvalidSequence = recorded, Problem = $"entry {recorded} was altered: it is not the entry the log last recorded" };
        return result;
    }

    /// <summary>What was decided after <paramref name="after"/>, oldest first, at most <paramref name="limit"/> entries.</summary>
    public async Task<List<(long Sequence, string Subject, string Rule, string Outcome)>> SinceAsync(long after, int limit, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.AuditLog.AsNoTracking().Where(a => a.Sequence > after).OrderBy(a => a.Sequence).Take(limit)
            .Select(a => new { a.Sequence, a.Subject, a.Rule, a.Outcome }).ToListAsync(ct);
        return [.. rows.Select(r => (r.Sequence, r.Subject, r.Rule, r.Outcome))];
    }

    /// <summary>The newest entries, newest first, optionally about one subject.</summary>
    public async Task<List<AuditRecord>> ListAsync(string? subject, int limit, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.AuditLog.AsNoTracking();
        if (subject is not null)
            q = q.Where(a => a.Subject == subject);
        return await q.OrderByDescending(a => a.Sequence).Take(limit).ToListAsync(ct);
    }

    public void Dispose() => _turn.Dispose();

    private static AuditEntry ToEntry(AuditRecord r) =>
        new(r.Sequence, r.At, r.Subject, r.Rule, r.Inputs, r.ListVersion, r.PolicyVersion, r.Outcome, r.DecidedBy, r.PreviousHash, r.Hash);

    private static AuditRecord ToRecord(AuditEntry e) => new()
    {
        Sequence = e.Sequence, At = e.At, Subject = e.Subject, Rule = e.Rule, Inputs = e.Inputs, ListVersion = e.ListVersion,
        PolicyVersion = e.PolicyVersion, Outcome = e.Outcome, DecidedBy = e.DecidedBy, PreviousHash = e.PreviousHash, Hash = e.Hash,
    };

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Audit append collided with another coordinator (attempt {Attempt}); retrying")]
    private static partial void LogCollision(ILogger logger, Exception e, int attempt);
}
