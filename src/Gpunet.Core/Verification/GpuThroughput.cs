using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using Gpunet.Core.Gpus;

namespace Gpunet.Core.Verification;

/// <summary>Expected dense int8 matrix throughput of every model in <see cref="GpuCatalog"/>, each figure with its
/// source: what a capacity check's response time is compared with.</summary>
/// <remarks>
/// <para>Datasheet figures are NVIDIA's dense int8 tensor TOPS, half the "with sparsity" figure the datasheets
/// headline. V100 has no int8 tensor cores: its figure is DP4A at four times the FP32 rate.</para>
/// <para>The achieved fraction is an <b>assumption</b> for every model until it is measured: 0.70, the share large
/// square int8 GEMMs with a tuned tensor-core kernel commonly reach once clocks settle under load (peaks assume boost
/// clocks the cards do not hold at full tensor load). No GPU was at hand to measure it. It must be replaced, per
/// model, by measuring the agent's own kernel (ILGPU, which may not use tensor cores at all, and then reaches a far
/// smaller share) on a real card, or calibrated by the coordinator from the median time of hosts that pass. Equal
/// fractions cancel in the ratio between a claimed and an actual model, which is what catches a weaker card; the
/// absolute figure decides whether honest hosts pass.</para>
/// </remarks>
public static class GpuThroughput
{
    /// <summary>The achieved share of datasheet throughput assumed until measured.</summary>
    public const double AssumedFraction = 0.70;

    private const string Assumed = "assumed 0.70 of datasheet (not measured: no GPU at hand; replace by the agent kernel's measured share)";

    private static readonly GpuThroughputEntry[] Entries =
    [
        Row("H100-SXM5-80GB", 1979, "NVIDIA H100 datasheet, SXM: INT8 Tensor Core 3,958 TOPS with sparsity"),
        Row("H100-PCIe-80GB", 1513, "NVIDIA H100 datasheet, PCIe: INT8 Tensor Core 3,026 TOPS with sparsity"),
        Row("H100-NVL-94GB", 1671, "NVIDIA H100 datasheet, H100 NVL: INT8 Tensor Core 3,341 TOPS with sparsity"),
        Row("H200-SXM-141GB", 1979, "NVIDIA H200 datasheet, SXM: INT8 Tensor Core 3,958 TOPS with sparsity"),
        Row("H200-NVL-141GB", 1671, "NVIDIA H200 datasheet, NVL: INT8 Tensor Core 3,341 TOPS with sparsity"),
        Row("B200-SXM-180GB", 4500, "NVIDIA HGX B200 datasheet: INT8 Tensor Core 72 POPS with sparsity for 8 GPUs"),
        Row("GH200-96GB", 1979, "NVIDIA GH200 datasheet: INT8 Tensor Core 3,958 TOPS with sparsity"),
        Row("A100-SXM4-80GB", 624, "NVIDIA A100 datasheet: INT8 Tensor Core 624 TOPS dense, 1,248 with sparsity"),
        Row("A100-SXM4-40GB", 624, "NVIDIA A100 datasheet: INT8 Tensor Core 624 TOPS dense, 1,248 with sparsity"),
        Row("A100-PCIe-80GB", 624, "NVIDIA A100 datasheet: INT8 Tensor Core 624 TOPS dense, 1,248 with sparsity"),
        Row("A100-PCIe-40GB", 624, "NVIDIA A100 datasheet: INT8 Tensor Core 624 TOPS dense, 1,248 with sparsity"),
        Row("A800-SXM4-80GB", 624, "NVIDIA A800 datasheet: INT8 Tensor Core 624 TOPS dense (A100's compute, less NVLink)"),
        Row("A800-PCIe-80GB", 624, "NVIDIA A800 datasheet: INT8 Tensor Core 624 TOPS dense (A100's compute, less NVLink)"),
        Row("H800-SXM5-80GB", 1979, "NVIDIA H800 datasheet, SXM: INT8 Tensor Core 3,958 TOPS with sparsity (H100's compute)"),
        Row("H800-PCIe-80GB", 1513, "NVIDIA H800 datasheet, PCIe: INT8 Tensor Core 3,026 TOPS with sparsity (H100 PCIe's compute)"),
        Row("H20-96GB", 296, "NVIDIA H20 specification: INT8/FP8 Tensor Core 296 TOPS dense"),
        Row("L40S-48GB", 733, "NVIDIA L40S datasheet: INT8 Tensor 733 TOPS dense, 1,466 with sparsity"),
        Row("L40-48GB", 362, "NVIDIA L40 datasheet: INT8 Tensor 362 TOPS dense, 724 with sparsity"),
        Row("L4-24GB", 242.5, "NVIDIA L4 datasheet: INT8 Tensor 485 TOPS with sparsity"),
        Row("A10-24GB", 250, "NVIDIA A10 datasheet: INT8 Tensor 250 TOPS dense, 500 with sparsity"),
        Row("A10G-24GB", 250, "assumed equal to A10 (AWS's A10G variant has no NVIDIA datasheet)"),
        Row("A40-48GB", 299.3, "NVIDIA A40 datasheet: INT8 Tensor 299.3 TOPS dense, 598.6 with sparsity"),
        Row("A30-24GB", 330, "NVIDIA A30 datasheet: INT8 Tensor 330 TOPS dense, 661 with sparsity"),
        Row("RTX-A6000-48GB", 309.7, "NVIDIA Ampere GA102 whitepaper, RTX A6000: INT8 Tensor 309.7 TOPS dense, 619.4 with sparsity"),
        Row("RTX-6000-Ada-48GB", 728.5, "NVIDIA RTX 6000 Ada datasheet: 1,457 TOPS FP8/INT8 with sparsity"),
        Row("RTX-5090-32GB", 838, "NVIDIA RTX Blackwell whitepaper, GeForce RTX 5090: INT8 Tensor 838 TOPS dense, 1,676 with sparsity"),
        Row("RTX-4090-24GB", 660.6, "NVIDIA Ada Lovelace whitepaper, GeForce RTX 4090: INT8 Tensor 660.6 TOPS dense, 1,321.2 with sparsity"),
        Row("RTX-4080-16GB", 389.9, "NVIDIA Ada Lovelace whitepaper, GeForce RTX 4080: INT8 Tensor 389.9 TOPS dense, 779.8 with sparsity"),
        Row("RTX-3090-24GB", 284, "NVIDIA Ampere GA102 whitepaper, GeForce RTX 3090: INT8 Tensor 284 TOPS dense, 568 with sparsity"),
        Row("V100-SXM2-32GB", 62.8, "NVIDIA V100 datasheet, SXM2: FP32 15.7 TFLOPS; no int8 tensor cores, DP4A at 4× FP32"),
        Row("V100-SXM2-16GB", 62.8, "NVIDIA V100 datasheet, SXM2: FP32 15.7 TFLOPS; no int8 tensor cores, DP4A at 4× FP32"),
        Row("V100-PCIe-16GB", 56, "NVIDIA V100 datasheet, PCIe: FP32 14 TFLOPS; no int8 tensor cores, DP4A at 4× FP32"),
        Row("T4-16GB", 130, "NVIDIA T4 datasheet: INT8 130 TOPS"),
    ];

    private static readonly Dictionary<string, GpuThroughputEntry> ByModel =
        Entries.ToDictionary(e => e.Model, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every row, in catalog order.</summary>
    public static IReadOnlyList<GpuThroughputEntry> All { get; } = new ReadOnlyCollection<GpuThroughputEntry>(Entries);

    /// <summary>The row for a canonical model name.</summary>
    public static bool TryGet(string model, [NotNullWhen(true)] out GpuThroughputEntry? entry)
    {
        entry = null;
        return !string.IsNullOrWhiteSpace(model) && ByModel.TryGetValue(model.Trim(), out entry);
    }

    /// <summary>The row for a canonical model name.</summary>
    /// <exception cref="ArgumentException">The model has no row.</exception>
    public static GpuThroughputEntry For(string model) =>
        TryGet(model, out var entry)
            ? entry
            : throw new ArgumentException($"No expected int8 throughput for GPU model '{model}'.", nameof(model));

    private static GpuThroughputEntry Row(string model, double denseTops, string source) =>
        new(model, denseTops, source, AssumedFraction, Assumed);
}
