using Gpunet.Coordinator.Storage;
using Gpunet.Core.Compliance;

namespace Gpunet.Coordinator.Compliance;

/// <summary>Who verifies a submission that screening let through: the embedded review queue, or an external vendor
/// whose decision comes back by webhook.</summary>
internal interface IKycProvider
{
    /// <summary>Stored with each submission: <c>review-queue</c> or the vendor's name.</summary>
    string Name { get; }

    /// <summary>Hands a new pending submission over for verification.</summary>
    Task StartAsync(KycSubmissionRecord submission, KycDocument document, CancellationToken ct);
}
