namespace Gpunet.Coordinator.Storage;

/// <summary>One KYC/KYB submission and where its review stands; a participant's status is their newest submission.</summary>
internal sealed class KycSubmissionRecord
{
    /// <summary><c>kyc-</c> and 16 hex digits.</summary>
    public required string Id { get; set; }
    public required string Address { get; set; }
    /// <summary><c>person</c> or <c>company</c>.</summary>
    public required string Kind { get; set; }
    /// <summary>The validated document as JSON.</summary>
    public required string Document { get; set; }
    public required string LegalName { get; set; }
    /// <summary>Residence (person) or registration (company), ISO 3166-1 alpha-2.</summary>
    public required string Country { get; set; }
    /// <summary>A company's ultimate parent's country; null for persons and independent companies.</summary>
    public string? ParentCountry { get; set; }
    /// <summary>A <see cref="Core.Compliance.KycState"/> name.</summary>
    public required string State { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    /// <summary>A rejection with no retry.</summary>
    public bool Final { get; set; }
    public string? Reason { get; set; }
    public string? DecidedBy { get; set; }
    /// <summary>Who verifies it: <c>review-queue</c> or an external vendor's name.</summary>
    public required string Provider { get; set; }
    /// <summary>Sanctions screening: <c>Clear</c>, <c>Review</c> or <c>Hit</c>.</summary>
    public required string Screening { get; set; }
    public required string ScreeningSummary { get; set; }
    public required string ListVersion { get; set; }
    /// <summary>When the newest vendor event applied to it happened; older events arriving later are ignored.</summary>
    public DateTimeOffset? LastEventAt { get; set; }
    public long Version { get; set; }
}
