namespace Gpunet.Core.Audit;

/// <summary>One compliance decision in the append-only, hash-chained audit log.</summary>
/// <param name="Sequence">1 for the first entry, then one more for each.</param>
/// <param name="At">When the decision was made, UTC, whole milliseconds (the precision the hash covers).</param>
/// <param name="Subject">Who or what the decision is about, e.g. a participant's address or a host id.</param>
/// <param name="Rule">The rule applied, e.g. a <c>ComplianceRules</c> name.</param>
/// <param name="Inputs">The facts the decision was made on, as JSON text.</param>
/// <param name="ListVersion">The version of the sanctions list used, when one was.</param>
/// <param name="PolicyVersion">The version of the compliance policy used, when one was.</param>
/// <param name="Outcome">What was decided, e.g. <c>allowed</c> or <c>refused</c>.</param>
/// <param name="DecidedBy">Who decided: a reviewer, or the automatic screener.</param>
/// <param name="PreviousHash">The <paramref name="Hash"/> of the entry before; <see cref="AuditChain.GenesisHash"/> for the first.</param>
/// <param name="Hash">Lower-case hex SHA-256 of all the fields above, see <see cref="AuditChain.ComputeHash(AuditEntry)"/>.</param>
public sealed record AuditEntry(
    long Sequence, DateTimeOffset At, string Subject, string Rule, string Inputs, string? ListVersion, string? PolicyVersion,
    string Outcome, string DecidedBy, string PreviousHash, string Hash);
