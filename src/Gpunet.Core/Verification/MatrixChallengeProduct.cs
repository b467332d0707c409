using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gpunet.Core.Verification;

/// <summary>C = A·B for int8 matrices with int32 accumulation, on one CPU core: what an honest host computes, done
/// the way a CPU can (simulated hosts, <c>gpunet bench verify</c>'s recompute figure), and some rows of it
/// (<see cref="ComputeRows"/>: an agent's openings of a product it did not keep, the checker's exact oracle).</summary>
/// <remarks>Blocked and vectorised, not clever: B is transposed and both are widened to int16 once, so each entry of C
/// is a dot product of two contiguous rows; AVX2's <c>vpmaddwd</c> multiplies 16 int16 pairs and adds neighbours into
/// 8 int32 lanes, and a 2 × 2 block of C shares each load. Columns of C are done 64 at a time and the inner dimension
/// <see cref="InnerBlock"/> at a time, so that the rows of Bᵀ in use stay in the L2 cache while every row of A passes,
/// whatever k is. Exact: every partial sum is part of an int32 entry that cannot overflow (see
/// <see cref="MatrixChallenge"/>). Without AVX2 a scalar loop does the same sums.</remarks>
public static class MatrixChallengeProduct
{
    // Columns of C per block: 64 rows of Bᵀ, each InnerBlock int16s (4 KiB), are 256 KiB, an L2's worth.
    private const int ColumnBlock = 64;

    // Entries of the inner dimension per block: n at the default square size, so a square product is one block.
    private const int InnerBlock = 2048;

    /// <summary>The product of the challenge's A (n × k) and B (k × n), n × n, row-major.</summary>
    public static int[] Compute(MatrixChallenge challenge)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        return ComputeLeadingRows(challenge, challenge.Size);
    }

    /// <summary>Rows 0 … m − 1 of the challenge's C, m × n, row-major, computed as <see cref="Compute"/> computes all n
    /// (B generated whole, widened and transposed, then blocked).</summary>
    /// <remarks>A slice of a whole recompute: <c>gpunet bench verify</c> times two of them to extrapolate a product too
    /// large to recompute on one core. For a few chosen rows <see cref="ComputeRows"/> is faster.</remarks>
    public static int[] ComputeLeadingRows(MatrixChallenge challenge, int rows)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, challenge.Size);
        var k = challenge.InnerSize;
        var a = new sbyte[rows * k];
        for (var i = 0; i < rows; i++)
            challenge.GenerateRowOfA(i, a.AsSpan(i * k, k));
        return Multiply(a, challenge.GenerateB(), rows, k, challenge.Size);
    }

    /// <summary>Rows <paramref name="rows"/> of the challenge's C, s × n, row-major, in the order given.</summary>
    /// <remarks>B is streamed a row at a time (generated, widened, never held whole nor transposed) and each of its k
    /// rows is added into every asked row of C with that row's entry of A as the factor: O(k·n) to generate B and
    /// O(s·k·n) multiply-adds, 8 at a time, in O(s·(n + k)) memory. For the few rows a check opens of one product (4 on
    /// average, 32 in <c>gpunet bench verify</c>) this is the fastest of the ways the code had (measured at n = 2,048:
    /// 2 rows 5 × faster than <see cref="ComputeLeadingRows"/>'s kernel, whose transposed int16 copy of B costs
    /// 3·n·k bytes and most of its time; equal at about 32 rows, slower past them). Exact as <see cref="Compute"/>.</remarks>
    public static int[] ComputeRows(MatrixChallenge challenge, IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        ArgumentNullException.ThrowIfNull(rows);
        var n = challenge.Size;
        var k = challenge.InnerSize;
        var rowsOfA = new sbyte[rows.Count * k];
        for (var i = 0; i < rows.Count; i++)
            challenge.GenerateRowOfA(rows[i], rowsOfA.AsSpan(i * k, k));
        var values = new int[rows.Count * n];
        var rowOfB = new sbyte[n];
        var widened = new int[n];
        for (var t = 0; t < k; t++)
        {
            challenge.GenerateRowOfB(t, rowOfB);
            for (var j = 0; j < n; j++)
                widened[j] = rowOfB[j];
            for (var i = 0; i < rows.Count; i++)
                AddScaled(values.AsSpan(i * n, n), rowsOfA[(i * k) + t], widened);
        }

        return values;
    }

    /// <summary>A·B for an m × k and a k × n row-major int8 matrix: m × n, row-major.</summary>
    /// <remarks>m below a challenge's n computes some of its rows only (<see cref="ComputeLeadingRows"/>).</remarks>
    public static int[] Multiply(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b, int m, int k, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(m);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        ArgumentOutOfRangeException.ThrowIfNotEqual(a.Length, (long)m * k, nameof(a));
        ArgumentOutOfRangeException.ThrowIfNotEqual(b.Length, (long)k * n, nameof(b));

        // Rows padded to even, the inner dimension to a multiple of 16 int16s (one 256-bit vector); padding is zero.
        var rowsA = (m + 1) & ~1;
        var rowsB = (n + 1) & ~1;
        var inner = (k + 15) & ~15;
        var left = new short[(long)rowsA * inner];
        var right = new short[(long)rowsB * inner];
        for (var i = 0; i < m; i++)
        {
            var row = a.Slice(i * k, k);
            var to = left.AsSpan(i * inner, k);
            for (var t = 0; t < k; t++)
                to[t] = row[t];
        }

        // Bᵀ written row by row (contiguous writes, strided reads), as the square product always did.
        for (var j = 0; j < n; j++)
        {
            var to = right.AsSpan(j * inner, k);
            for (var t = 0; t < k; t++)
                to[t] = b[(t * n) + j];
        }

        var c = new int[(long)m * n];
        if (Avx2.IsSupported)
            MultiplyAvx2(left, right, c, m, n, rowsA, rowsB, inner);
        else
            MultiplyScalar(left, right, c, m, n, inner);
        return c;
    }

    private static void MultiplyScalar(short[] left, short[] right, int[] c, int m, int n, int inner)
    {
        for (var i = 0; i < m; i++)
        {
            var row = left.AsSpan(i * inner, inner);
            for (var j = 0; j < n; j++)
            {
                var column = right.AsSpan(j * inner, inner);
                var sum = 0;
                for (var k = 0; k < inner; k++)
                    sum += row[k] * column[k];
                c[(i * n) + j] = sum;
            }
        }
    }

    private static void MultiplyAvx2(short[] left, short[] right, int[] c, int m, int n, int rowsA, int rowsB, int inner)
    {
        ref var l = ref MemoryMarshal.GetArrayDataReference(left);
        ref var r = ref MemoryMarshal.GetArrayDataReference(right);
        for (var k0 = 0; k0 < inner; k0 += InnerBlock)
        {
            var kEnd = Math.Min(k0 + InnerBlock, inner);
            for (var j0 = 0; j0 < rowsB; j0 += ColumnBlock)
            {
                var jEnd = Math.Min(j0 + ColumnBlock, rowsB);
                for (var i = 0; i < rowsA; i += 2)
                {
                    ref var a0 = ref Unsafe.Add(ref l, (nint)i * inner);
                    ref var a1 = ref Unsafe.Add(ref l, (nint)(i + 1) * inner);
                    for (var j = j0; j < jEnd; j += 2)
                    {
                        ref var b0 = ref Unsafe.Add(ref r, (nint)j * inner);
                        ref var b1 = ref Unsafe.Add(ref r, (nint)(j + 1) * inner);
                        var s00 = Vector256<int>.Zero;
                        var s01 = Vector256<int>.Zero;
                        var s10 = Vector256<int>.Zero;
                        var s11 = Vector256<int>.Zero;
                        for (var k = k0; k < kEnd; k += 16)
                        {
                            var x0 = Vector256.LoadUnsafe(ref a0, (nuint)k);
                            var x1 = Vector256.LoadUnsafe(ref a1, (nuint)k);
                            var y0 = Vector256.LoadUnsafe(ref b0, (nuint)k);
                            var y1 = Vector256.LoadUnsafe(ref b1, (nuint)k);
                            s00 += Avx2.MultiplyAddAdjacent(x0, y0);
                            s01 += Avx2.MultiplyAddAdjacent(x0, y1);
                            s10 += Avx2.MultiplyAddAdjacent(x1, y0);
                            s11 += Avx2.MultiplyAddAdjacent(x1, y1);
                        }

                        Add(c, m, n, i, j, Vector256.Sum(s00));
                        Add(c, m, n, i, j + 1, Vector256.Sum(s01));
                        Add(c, m, n, i + 1, j, Vector256.Sum(s10));
                        Add(c, m, n, i + 1, j + 1, Vector256.Sum(s11));
                    }
                }
            }
        }
    }

    // into += factor · row, vector by vector, then the tail.
    private static void AddScaled(Span<int> into, int factor, ReadOnlySpan<int> row)
    {
        var j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var f = Vector256.Create(factor);
            for (; j + Vector256<int>.Count <= row.Length; j += Vector256<int>.Count)
                (Vector256.Create(into[j..]) + (f * Vector256.Create(row[j..]))).CopyTo(into[j..]);
        }

        for (; j < row.Length; j++)
            into[j] += factor * row[j];
    }

    // Each inner block adds its part of the entry; the padded row or column (m or n odd) is computed and dropped.
    private static void Add(int[] c, int m, int n, int i, int j, int value)
    {
        if (i < m && j < n)
            c[(i * n) + j] += value;
    }
}
