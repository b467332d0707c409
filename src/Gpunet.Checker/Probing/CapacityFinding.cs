using Gpunet.Protocol;

namespace Gpunet.Checker.Probing;

/// <summary>What a capacity probe found: each claimed GPU's verdict, and the check's.</summary>
/// <param name="Passed">Every claimed GPU passed.</param>
/// <param name="Reason">Why, in words.</param>
/// <param name="Gpus">One verdict per claimed GPU, in index order.</param>
internal sealed record CapacityFinding(bool Passed, string Reason, IReadOnlyList<GpuVerdict> Gpus);
