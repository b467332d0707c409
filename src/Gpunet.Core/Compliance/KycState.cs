namespace Gpunet.Core.Compliance;

/// <summary>Where a participant's KYC/KYB verification stands.</summary>
public enum KycState
{
    /// <summary>Nothing submitted yet.</summary>
    Unverified,

    /// <summary>Submitted, waiting for a decision.</summary>
    Pending,

    /// <summary>Verified; the only state that lets a participant take part.</summary>
    Approved,

    /// <summary>Refused by a reviewer or by sanctions screening.</summary>
    Rejected,

    /// <summary>Was approved, but its validity period has passed; re-verification is needed.</summary>
    Expired,
}
