namespace Gpunet.Coordinator.Compliance;

/// <summary>A compliance decision about to be appended to the audit log.</summary>
/// <param name="Subject">Who or what was decided about: an address, a host id, a submission id, a policy version.</param>
/// <param name="Rule">The rule or procedure that decided, e.g. <c>sanctions-screening</c>.</param>
/// <param name="Inputs">What it decided on; serialised to JSON.</param>
/// <param name="Outcome">What it decided, in words a reader understands.</param>
/// <param name="DecidedBy">An officer's address, <c>admin</c>, or the automatic rule's name.</param>
internal sealed record AuditDraft(string Subject, string Rule, object Inputs, string Outcome, string DecidedBy)
{
    /// <summary>The sanctions list in force; the audit log fills it in when null.</summary>
    public string? ListVersion { get; init; }

    /// <summary>The policy in force; the audit log fills it in when null.</summary>
    public string? PolicyVersion { get; init; }
}
