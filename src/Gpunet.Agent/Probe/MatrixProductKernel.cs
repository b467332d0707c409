using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;

namespace Gpunet.Agent.Probe;

/// <summary>C = A·B of int8 matrices with int32 accumulation on an ILGPU accelerator (CUDA, or ILGPU's CPU
/// accelerator), one kernel launch per product: what a host's GPUs compute for a capacity check.</summary>
/// <remarks>
/// <para>A tiled kernel: a group of <see cref="Tile"/> × <see cref="Tile"/> threads computes one tile of C, each
/// thread one entry; A's and B's tiles pass through shared memory, widened to int32 once, so each loaded byte serves
/// <see cref="Tile"/> multiply-adds. Edges of a size that is not a multiple of the tile load zeros, which add
/// nothing. Exact: every partial sum is part of an entry that fits an int32 (see <c>MatrixChallenge</c>).</para>
/// <para>It does not use tensor cores (ILGPU has no int8 MMA), so it reaches a small share of the datasheet's
/// dense int8 throughput that <c>GpuThroughput</c> lists; that share is to be measured on a real card.</para>
/// <para>Not thread-safe: one instance per accelerator, used by one capacity run at a time.</para>
/// </remarks>
internal sealed class MatrixProductKernel : IDisposable
{
    /// <summary>Threads per group along each axis.</summary>
    public const int Tile = 16;

    private readonly Accelerator _accelerator;
    private readonly Action<KernelConfig, ArrayView<sbyte>, ArrayView<sbyte>, ArrayView<int>, int> _kernel;
    private MemoryBuffer1D<sbyte, Stride1D.Dense>? _a;
    private MemoryBuffer1D<sbyte, Stride1D.Dense>? _b;
    private MemoryBuffer1D<int, Stride1D.Dense>? _c;

    /// <summary>An ILGPU CPU device that runs groups of <see cref="Tile"/> × <see cref="Tile"/> threads (ILGPU's
    /// default CPU device runs 16), so the CPU accelerator runs the very kernel a GPU does.</summary>
    /// <remarks>One multiprocessor: a group's threads are OS threads, and the CPU path is for hosts and tests without
    /// CUDA, where throughput does not matter.</remarks>
    public static CPUDevice CpuDevice { get; } = new(numThreadsPerWarp: Tile, numWarpsPerMultiprocessor: Tile, numMultiprocessors: 1);

    public MatrixProductKernel(Accelerator accelerator)
    {
        _accelerator = accelerator;
        _kernel = accelerator.LoadStreamKernel<ArrayView<sbyte>, ArrayView<sbyte>, ArrayView<int>, int>(Multiply);
    }

    /// <summary>The accelerator's name, for the log.</summary>
    public string Device => _accelerator.Name;

    /// <summary>A·B for n × n row-major int8 matrices, into <paramref name="product"/> (n² entries).</summary>
    public void Compute(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b, int n, Span<int> product)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        var entries = (long)n * n;
        ArgumentOutOfRangeException.ThrowIfNotEqual(a.Length, entries, nameof(a));
        ArgumentOutOfRangeException.ThrowIfNotEqual(b.Length, entries, nameof(b));
        ArgumentOutOfRangeException.ThrowIfNotEqual(product.Length, entries, nameof(product));
        if (_c is null || _c.Length != entries)
        {
            // Buffers are kept across products of one size: a check computes many of the same n.
            FreeBuffers();
            _a = _accelerator.Allocate1D<sbyte>(entries);
            _b = _accelerator.Allocate1D<sbyte>(entries);
            _c = _accelerator.Allocate1D<int>(entries);
        }

        _a!.View.AsContiguous().CopyFromCPU(a);
        _b!.View.AsContiguous().CopyFromCPU(b);
        var groups = (n + Tile - 1) / Tile;
        _kernel(new KernelConfig(new Index2D(groups, groups), new Index2D(Tile, Tile)), _a.View, _b.View, _c.View, n);
        _accelerator.Synchronize();
        _c.View.AsContiguous().CopyToCPU(product);
    }

    // One thread per entry (row, col) of C; the group walks the inner dimension a tile at a time.
    private static void Multiply(ArrayView<sbyte> a, ArrayView<sbyte> b, ArrayView<int> c, int n)
    {
        var tileA = SharedMemory.Allocate<int>(Tile * Tile);
        var tileB = SharedMemory.Allocate<int>(Tile * Tile);
        var x = Group.IdxX;
        var y = Group.IdxY;
        var col = (Grid.IdxX * Tile) + x;
        var row = (Grid.IdxY * Tile) + y;
        var sum = 0;
        for (var k0 = 0; k0 < n; k0 += Tile)
        {
            var ak = k0 + x;
            var bk = k0 + y;
            tileA[(y * Tile) + x] = row < n && ak < n ? a[(row * n) + ak] : 0;
            tileB[(y * Tile) + x] = bk < n && col < n ? b[(bk * n) + col] : 0;
            Group.Barrier();
            for (var k = 0; k < Tile; k++)
                sum += tileA[(y * Tile) + k] * tileB[(k * Tile) + x];
            Group.Barrier();
        }

        if (row < n && col < n)
            c[(row * n) + col] = sum;
    }

    private void FreeBuffers()
    {
        _a?.Dispose();
        _b?.Dispose();
        _c?.Dispose();
        _a = null;
        _b = null;
        _c = null;
    }

    public void Dispose() => FreeBuffers();
}
