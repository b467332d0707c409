namespace Gpunet.Coordinator.Compliance;

/// <summary>The audit log as compliance's view reads it: where every decision is appended, and the change cursor that
/// tells a coordinator another one decided something.</summary>
internal interface IAuditTrail
{
    /// <summary>The head this coordinator's view of compliance is current with.</summary>
    long Seen { get; }

    /// <summary>Records that this coordinator's view is current with the log up to <paramref name="head"/> (never backwards).</summary>
    void MarkSeen(long head);

    /// <summary>The newest entry's sequence; 0 for an empty log.</summary>
    Task<long> HeadAsync(CancellationToken ct);

    /// <summary>What was decided after <paramref name="after"/>, oldest first, at most <paramref name="limit"/> entries.</summary>
    Task<List<(long Sequence, string Subject, string Rule, string Outcome)>> SinceAsync(long after, int limit, CancellationToken ct);

    /// <summary>Appends decisions that change nothing else, stamped with <paramref name="versions"/> where they name none.</summary>
    Task RecordAsync(IReadOnlyList<AuditDraft> decisions, (string List, string Policy) versions, CancellationToken ct);
}
