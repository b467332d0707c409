namespace Gpunet.Core.Scheduling;

/// <summary>What one workload needs on one node: CPU, memory, and GPUs of acceptable models.</summary>
/// <remarks>CPU in millicores, memory in MiB, GPU share in thousandths of one GPU (1000 = a whole GPU).
/// Whole-GPU requests: <c>GpuCount ≥ 1</c> with <c>GpuMilli = 1000</c>; a fractional request: <c>GpuCount = 1</c>
/// with <c>GpuMilli &lt; 1000</c>; CPU-only: <c>GpuCount = 0</c>, <c>GpuMilli = 0</c>.
/// An empty <see cref="AcceptableModels"/> accepts any model.</remarks>
public sealed record PlacementRequest
{
    /// <summary>Thousandths in one whole GPU.</summary>
    public const int WholeGpu = 1000;

    public PlacementRequest(int cpuMilli, int memoryMib, int gpuCount, int gpuMilli, IReadOnlyList<string>? acceptableModels = null)
    {
        if (cpuMilli < 0)
            throw new ArgumentOutOfRangeException(nameof(cpuMilli), cpuMilli, "CPU must not be negative");
        if (memoryMib < 0)
            throw new ArgumentOutOfRangeException(nameof(memoryMib), memoryMib, "memory must not be negative");
        if (gpuCount < 0)
            throw new ArgumentOutOfRangeException(nameof(gpuCount), gpuCount, "GPU count must not be negative");
        if (gpuCount == 0 && gpuMilli != 0)
            throw new ArgumentOutOfRangeException(nameof(gpuMilli), gpuMilli, "a CPU-only request takes no GPU share");
        if (gpuCount > 0 && gpuMilli is < 1 or > WholeGpu)
            throw new ArgumentOutOfRangeException(nameof(gpuMilli), gpuMilli, "GPU share per GPU: 1 to 1000 thousandths");
        if (gpuCount > 1 && gpuMilli != WholeGpu)
            throw new ArgumentOutOfRangeException(nameof(gpuMilli), gpuMilli, "a fraction is of one GPU: several GPUs are whole");
        CpuMilli = cpuMilli;
        MemoryMib = memoryMib;
        GpuCount = gpuCount;
        GpuMilli = gpuMilli;
        AcceptableModels = acceptableModels ?? [];
    }

    /// <summary>CPU in millicores.</summary>
    public int CpuMilli { get; }

    /// <summary>Memory in MiB.</summary>
    public int MemoryMib { get; }

    /// <summary>GPUs needed on the node (0: CPU-only).</summary>
    public int GpuCount { get; }

    /// <summary>Share of each GPU in thousandths (1000 = whole).</summary>
    public int GpuMilli { get; }

    /// <summary>Acceptable GPU models (exact names); empty: any.</summary>
    public IReadOnlyList<string> AcceptableModels { get; }

    /// <summary>GPU thousandths in all: count × share.</summary>
    public long TotalGpuMilli => (long)GpuCount * GpuMilli;

    /// <summary>True for a share of a single GPU.</summary>
    public bool IsFractional => GpuCount == 1 && GpuMilli < WholeGpu;
}
