using Gpunet.Coordinator.Storage;

namespace Gpunet.Coordinator.Compliance;

/// <summary>Where every participant's KYC/KYB submissions, and the decisions on them, are kept.</summary>
internal interface IKycSubmissionStore
{
    /// <summary>Every submission.</summary>
    Task<IReadOnlyList<KycSubmissionRecord>> AllAsync(CancellationToken ct);

    /// <summary>The submissions with these ids (those that exist).</summary>
    Task<IReadOnlyList<KycSubmissionRecord>> FindAsync(IReadOnlyCollection<string> ids, CancellationToken ct);
}
