namespace Gpunet.Core.Audit;

/// <summary>The result of checking an audit log's hash chain.</summary>
/// <param name="Valid">Whether every entry is intact and in place.</param>
/// <param name="Entries">How many entries were found intact before the first problem; all of them when valid.</param>
/// <param name="FirstInvalidSequence">The sequence number of the first entry that was altered, removed or moved; null when valid.</param>
/// <param name="Problem">What is wrong, in words, e.g. <c>entry 5 is missing (removed)</c>; null when valid.</param>
public sealed record AuditVerification(bool Valid, long Entries, long? FirstInvalidSequence, string? Problem)
{
    /// <summary>An intact log of <paramref name="entries"/> entries.</summary>
    public static AuditVerification Intact(long entries) => new(true, entries, null, null);

    /// <summary>A log whose entry <paramref name="sequence"/> is the first one not intact.</summary>
    public static AuditVerification Broken(long sequence, string problem) => new(false, Math.Max(0, sequence - 1), sequence, problem);
}
