using System.Text.Json;
using Gpunet.Core.Compliance;

namespace Gpunet.Cli.Commands;

/// <summary>The JSON shapes of the coordinator's compliance API (<c>/api/v1/kyc</c>, <c>/compliance</c>, <c>/audit</c>) as
/// the CLI reads them: camelCase, enums as their names.</summary>
/// <remarks>Mirrors of the coordinator's <c>ComplianceApi</c> records, kept beside the commands that read them.</remarks>
internal static class ComplianceViews
{
    /// <summary>Where a participant's own verification stands (<c>GET /api/v1/kyc</c>).</summary>
    public sealed record KycStatusView(string Address, KycState State, string? SubmissionId, string? Country, string? ParentCountry,
        DateTimeOffset? ExpiresAt, string? Reason, bool Final);

    /// <summary>One KYC (person) or KYB (company) submission; <see cref="Document"/> only where the API includes it.</summary>
    public sealed record KycSubmissionView(
        string Id, string Address, string Kind, string LegalName, string Country, string? ParentCountry, KycState State,
        DateTimeOffset SubmittedAt, DateTimeOffset? DecidedAt, DateTimeOffset? ExpiresAt, bool Final, string? Reason, string? DecidedBy,
        string Provider, string Screening, string ScreeningSummary, string ListVersion, JsonElement? Document);

    /// <summary>An officer's decision on a submission.</summary>
    public sealed record DecisionRequest(string? Reason, bool Final);

    /// <summary>The policy in force; <see cref="AppliedAt"/> is null for the built-in default.</summary>
    public sealed record PolicyView(string Version, string Yaml, DateTimeOffset? AppliedAt, string AppliedBy);

    /// <summary>A policy to apply, as YAML text.</summary>
    public sealed record PolicyRequest(string? Yaml);

    /// <summary>A policy applied, and what it stopped at once.</summary>
    public sealed record PolicyAppliedView(string Version, bool Unchanged, IReadOnlyList<EnforcedItem> HostsPaused, IReadOnlyList<EnforcedItem> LeasesEnded);

    /// <summary>A host paused or a lease ended by a compliance change, and why.</summary>
    public sealed record EnforcedItem(string Id, string Reason);

    /// <summary>A sanctions list to import: the OFAC SDN CSV and its aliases CSV (ALT), as text.</summary>
    public sealed record SanctionsRequest(string? Sdn, string? Alt);

    /// <summary>The sanctions list in force.</summary>
    public sealed record SanctionsView(string Version, int Entries, int Names, string Source, DateTimeOffset? ImportedAt, string? ImportedBy);

    /// <summary>A sanctions list imported, and what screening everyone again did.</summary>
    public sealed record SanctionsImportedView(string Version, int Entries, int Names, int Screened, int Rejected, int Review,
        IReadOnlyList<EnforcedItem> HostsPaused, IReadOnlyList<EnforcedItem> LeasesEnded);

    /// <summary>One rule that stops a host.</summary>
    public sealed record ReasonView(string Rule, string Message);

    /// <summary>A host's location check: its address, the country it resolved to, and any officer's clearance.</summary>
    public sealed record LocationView(string Address, string Source, string? ResolvedCountry, string DeclaredCountry, string Check, string Detail,
        string Database, DateTimeOffset CheckedAt, string? ClearedBy, DateTimeOffset? ClearedAt, string? ClearedReason);

    /// <summary>Whether a host may serve, every rule that stops it, and its location check.</summary>
    public sealed record HostComplianceView(string HostId, bool Allowed, string PolicyVersion, KycState OperatorKyc, IReadOnlyList<ReasonView> Reasons, LocationView? Location);

    /// <summary>An officer's clearance of a host's location, with the evidence.</summary>
    public sealed record ClearRequest(string? Reason);

    /// <summary>One compliance decision in the hash-chained audit log.</summary>
    public sealed record AuditEntryView(long Sequence, DateTimeOffset At, string Subject, string Rule, JsonElement Inputs, string? ListVersion,
        string? PolicyVersion, string Outcome, string DecidedBy, string Hash);

    /// <summary>The audit log's hash chain recomputed: valid, or the first entry altered or removed.</summary>
    public sealed record AuditVerifyView(bool Valid, long Entries, long? FirstInvalidSequence, string? Problem);
}
