using Gpunet.Coordinator.Storage;
using Gpunet.Core.Compliance;

namespace Gpunet.Coordinator.Compliance;

/// <summary>The embedded provider: a pending submission simply waits for a compliance officer
/// (<c>gpunet kyc list|show|approve|reject</c>).</summary>
internal sealed class ReviewQueueProvider : IKycProvider
{
    public const string ProviderName = "review-queue";

    public string Name => ProviderName;

    public Task StartAsync(KycSubmissionRecord submission, KycDocument document, CancellationToken ct) => Task.CompletedTask;
}
