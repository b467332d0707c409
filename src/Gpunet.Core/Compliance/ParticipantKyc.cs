namespace Gpunet.Core.Compliance;

/// <summary>A participant's KYC/KYB standing as the gates read it.</summary>
/// <param name="State">The effective state (an approval past its validity is Expired).</param>
/// <param name="Country">Residence or registration; null when unknown (no submission).</param>
/// <param name="ParentCountry">A company's ultimate parent's country; null for none.</param>
/// <param name="SubmissionId">The newest submission; null when there is none.</param>
public sealed record ParticipantKyc(KycState State, string? Country, string? ParentCountry, string? SubmissionId)
{
    /// <summary>Whether the participant's KYC/KYB is approved now.</summary>
    public bool Approved => State == KycState.Approved;
}
