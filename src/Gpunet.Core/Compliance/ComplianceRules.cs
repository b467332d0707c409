namespace Gpunet.Core.Compliance;

/// <summary>The stable names of the compliance rules, as they appear in decisions, state reasons and the audit log.</summary>
public static class ComplianceRules
{
    /// <summary>The participant's KYC/KYB is not approved.</summary>
    public const string KycNotApproved = "kyc-not-approved";

    /// <summary>The host is in a country where no GPU may be onboarded or rented from.</summary>
    public const string BlockedJurisdiction = "blocked-jurisdiction";

    /// <summary>The host is in a region where no GPU may be onboarded or rented from.</summary>
    public const string BlockedRegion = "blocked-region";

    /// <summary>The host's location is not confirmed and it has export-controlled GPUs.</summary>
    public const string LocationUnverified = "location-unverified";

    /// <summary>A customer from a restricted jurisdiction asks for an export-controlled GPU.</summary>
    public const string RestrictedCustomerJurisdiction = "restricted-customer-jurisdiction";

    /// <summary>A customer whose parent company is in a restricted jurisdiction asks for an export-controlled GPU.</summary>
    public const string RestrictedParentJurisdiction = "restricted-parent-jurisdiction";

    /// <summary>The host is outside the data-residency zone the order asks for.</summary>
    public const string OutsideResidencyZone = "outside-residency-zone";
}
