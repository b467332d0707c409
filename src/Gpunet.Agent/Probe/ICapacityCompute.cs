using Gpunet.Core.Verification;

namespace Gpunet.Agent.Probe;

/// <summary>Computes a capacity check's products on every GPU of the host and commits to them.</summary>
internal interface ICapacityCompute : IDisposable
{
    /// <summary>For every GPU g and product p of <paramref name="check"/>, C = A·B of
    /// <paramref name="challenge"/>.Derive(g, p), committed; one entry per GPU in index order.</summary>
    Task<IReadOnlyList<CommittedGpu>> ComputeAsync(MatrixChallenge challenge, AnnouncedCheck check, CancellationToken ct);
}
