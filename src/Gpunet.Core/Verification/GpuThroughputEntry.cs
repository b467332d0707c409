namespace Gpunet.Core.Verification;

/// <summary>What one GPU model is expected to do on a dense int8 matrix product, and where the figures come from.</summary>
/// <param name="Model">Canonical catalog model name, e.g. <c>H100-SXM5-80GB</c>.</param>
/// <param name="DenseInt8Tops">Datasheet peak dense int8 tensor throughput, in 10¹² operations per second (a
/// multiply-accumulate counts as two), without the structured-sparsity doubling datasheets headline.</param>
/// <param name="Source">Where <paramref name="DenseInt8Tops"/> comes from.</param>
/// <param name="AchievedFraction">The share of <paramref name="DenseInt8Tops"/> a real int8 GEMM of challenge size
/// reaches on this model.</param>
/// <param name="FractionSource">Where <paramref name="AchievedFraction"/> comes from: a measurement, or why it is
/// assumed.</param>
public sealed record GpuThroughputEntry(string Model, double DenseInt8Tops, string Source, double AchievedFraction, string FractionSource)
{
    /// <summary>Operations per second expected of an honest card: datasheet × achieved fraction.</summary>
    public double ExpectedOperationsPerSecond => DenseInt8Tops * 1e12 * AchievedFraction;
}
