using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;

namespace Gpunet.Agent.Probe;

/// <summary>C = A·B of int8 matrices with int32 accumulation on an ILGPU accelerator (CUDA, or ILGPU's CPU
/// accelerator), one kernel launch per product: what a host's GPUs compute for a capacity check. A is n × k, B k × n,
/// C n × n (k = n for a square product).</summary>
/// <remarks>
/// <para>A tiled kernel: a group of <see cref="Tile"/> × <see cref="Tile"/> threads computes one tile of C, each
/// thread one entry; the group walks the inner dimension k a tile at a time, A's and B's tiles passing through shared
/// memory, widened to int32 once, so each loaded byte serves <see cref="Tile"/> multiply-adds. Edges of an n or k
/// that is not a multiple of the tile load zeros, which add nothing. Exact: every partial sum is part of an entry that fits an int32 (see <c>MatrixChallenge</c>).</para>
/// <para>It does not use tensor cores (ILGPU has no int8 MMA), so it reaches a small share of the datasheet's
/// dense int8 throughput that <c>GpuThroughput</c> lists; that share is to be measured on a real card.</para>
/// <para>Not thread-safe: one instance per accelerator, used by one capacity run at a time.</para>
/// </remarks>
internal sealed class MatrixProductKernel : IDisposable
{
    /// <summary>Threads per group along each axis.</summary>
    public const int Tile = 16;

    private readonly Accelerator _accelerator;
    private readonly Action<KernelConfig, ArrayView<sbyte>, ArrayView<sbyte>, ArrayView<int>, int, int> _kernel;
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
        _kernel = accelerator.LoadStreamKernel<ArrayView<sbyte>, ArrayView<sbyte>, ArrayView<int>, int, int>(Multiply);
    }

    /// <summary>The accelerator's name, for the log.</summary>
    public string Device => _accelerator.Name;

    /// <summary>A·B for an n × k and a k × n row-major int8 matrix, into <paramref name="product"/> (n² entries).</summary>
    public void Compute(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b, int n, int k, Span<int> product)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        var inputs = (long)n * k;
        var entries = (long)n * n;
        ArgumentOutOfRangeException.ThrowIfNotEqual(a.Length, inputs, nameof(a));
        ArgumentOutOfRangeException.ThrowIfNotEqual(b.Length, inputs, nameof(b));
        ArgumentOutOfRangeException.ThrowIfNotEqual(product.Length, entries, nameof(product));
        if (_c is null || _c.Length != entries || _a!.Length != inputs)
        {
            // Buffers are kept across products of one shape: a check computes many of the same n and k.
            FreeBuffers();
            _a = _accelerator.Allocate1D<sbyte>(inputs);
            _b = _accelerator.Allocate1D<sbyte>(inputs);
            _c = _accelerator.Allocate1D<int>(entries);
        }

        _a!.View.AsContiguous().CopyFromCPU(a);
        _b!.View.AsContiguous().CopyFromCPU(b);
        var groups = (n + Tile - 1) / Tile;
        _kernel(new KernelConfig(new Index2D(groups, groups), new Index2D(Tile, Tile)), _a.View, _b.View, _c.View, n, k);
        _accelerator.Synchronize();
        _c.View.AsContiguous().CopyToCPU(product);
    }

    // One thread per entry (row, col) of C; the group walks the inner dimension k a tile at a time. A's row is k long,
    // B's row n long. Offsets are long: n·k reaches 2³⁰ (MatrixChallenge.MaxEntries).
    private static void Multiply(ArrayView<sbyte> a, ArrayView<sbyte> b, ArrayView<int> c, int n, int k)
    {
        var tileA = SharedMemory.Allocate<int>(Tile * Tile);
        var tileB = SharedMemory.Allocate<int>(Tile * Tile);
        var x = Group.IdxX;
        var y = Group.IdxY;
        var col = (Grid.IdxX * Tile) + x;
        var row = (Grid.IdxY * Tile) + y;
        var sum = 0;
        for (var k0 = 0; k0 < k; k0 += Tile)
        {
            var ak = k0 + x;
            var bk = k0 + y;
            tileA[(y * Tile) + x] = row < n && ak < k ? a[((long)row * k) + ak] : 0;
            tileB[(y * Tile) + x] = bk < k && col < n ? b[((long)bk * n) + col] : 0;
            Group.Barrier();
            for (var t = 0; t < Tile; t++)
                sum += tileA[(y * Tile) + t] * tileB[(t * Tile) + x];
            Group.Barrier();
        }

        if (row < n && col < n)
            c[((long)row * n) + col] = sum;
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
