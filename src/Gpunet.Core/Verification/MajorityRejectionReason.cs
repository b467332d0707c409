namespace Gpunet.Core.Verification;

/// <summary>Why a report does not count towards a check's majority.</summary>
public enum MajorityRejectionReason
{
    /// <summary>The sender was not assigned to this check.</summary>
    NotAssigned,

    /// <summary>The sender sent more than one report for this check: none of them counts.</summary>
    MoreThanOneReport,
}
