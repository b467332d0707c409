namespace Gpunet.Agent.Probe;

/// <summary>Every product one GPU computed for a capacity check, in product order.</summary>
/// <param name="Gpu">The GPU's index on this host.</param>
/// <param name="Products">Product p at position p.</param>
internal sealed record CommittedGpu(int Gpu, IReadOnlyList<CommittedProduct> Products);
