using Gpunet.Coordinator.Storage;

namespace Gpunet.Coordinator.Compliance;

/// <summary>Where the compliance policies and sanctions lists an officer applied are kept.</summary>
internal interface ICompliancePolicyStore
{
    /// <summary>The policy applied last; null when none was (the default is in force).</summary>
    Task<CompliancePolicyRecord?> LatestPolicyAsync(CancellationToken ct);

    /// <summary>The sanctions list imported last, with its text; null when none was (the shipped sample is in force).</summary>
    Task<SanctionsListRecord?> LatestSanctionsListAsync(CancellationToken ct);
}
