using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gpunet.Core.Verification;

/// <summary>C = A·B for int8 matrices with int32 accumulation, on one CPU core: what an honest host computes, done
/// the way a CPU can (simulated hosts, <c>gpunet bench verify</c>'s recompute figure).</summary>
/// <remarks>Blocked and vectorised, not clever: B is transposed and both are widened to int16 once, so each entry of C
/// is a dot product of two contiguous rows; AVX2's <c>vpmaddwd</c> multiplies 16 int16 pairs and adds neighbours into
/// 8 int32 lanes, and a 2 × 2 block of C shares each load. Columns of C are done 64 at a time so that their rows of
/// Bᵀ stay in the L2 cache while every row of A passes. Exact: every partial sum is part of an int32 entry that
/// cannot overflow (see <see cref="MatrixChallenge"/>). Without AVX2 a scalar loop does the same sums.</remarks>
public static class MatrixChallengeProduct
{
    // Columns of C per block: 64 rows of Bᵀ in int16 are 256 KiB at n = 2048, an L2's worth.
    private const int ColumnBlock = 64;

    /// <summary>The product of the challenge's A and B, n × n, row-major.</summary>
    public static int[] Compute(MatrixChallenge challenge)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        return Multiply(challenge.GenerateA(), challenge.GenerateB(), challenge.Size);
    }

    /// <summary>A·B for n × n row-major int8 matrices.</summary>
    public static int[] Multiply(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        ArgumentOutOfRangeException.ThrowIfNotEqual(a.Length, n * n, nameof(a));
        ArgumentOutOfRangeException.ThrowIfNotEqual(b.Length, n * n, nameof(b));

        // Rows padded to even, the inner dimension to a multiple of 16 int16s (one 256-bit vector); padding is zero.
        var rows = (n + 1) & ~1;
        var inner = (n + 15) & ~15;
        var left = new short[rows * inner];
        var right = new short[rows * inner];
        for (var i = 0; i < n; i++)
        {
            for (var k = 0; k < n; k++)
            {
                left[(i * inner) + k] = a[(i * n) + k];
                right[(i * inner) + k] = b[(k * n) + i];
            }
        }

        var c = new int[n * n];
        if (Avx2.IsSupported)
            MultiplyAvx2(left, right, c, n, rows, inner);
        else
            MultiplyScalar(left, right, c, n, inner);
        return c;
    }

    private static void MultiplyScalar(short[] left, short[] right, int[] c, int n, int inner)
    {
        for (var i = 0; i < n; i++)
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

    private static void MultiplyAvx2(short[] left, short[] right, int[] c, int n, int rows, int inner)
    {
        ref var l = ref MemoryMarshal.GetArrayDataReference(left);
        ref var r = ref MemoryMarshal.GetArrayDataReference(right);
        for (var j0 = 0; j0 < rows; j0 += ColumnBlock)
        {
            var jEnd = Math.Min(j0 + ColumnBlock, rows);
            for (var i = 0; i < rows; i += 2)
            {
                ref var a0 = ref Unsafe.Add(ref l, i * inner);
                ref var a1 = ref Unsafe.Add(ref l, (i + 1) * inner);
                for (var j = j0; j < jEnd; j += 2)
                {
                    ref var b0 = ref Unsafe.Add(ref r, j * inner);
                    ref var b1 = ref Unsafe.Add(ref r, (j + 1) * inner);
                    var s00 = Vector256<int>.Zero;
                    var s01 = Vector256<int>.Zero;
                    var s10 = Vector256<int>.Zero;
                    var s11 = Vector256<int>.Zero;
                    for (var k = 0; k < inner; k += 16)
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

                    Store(c, n, i, j, Vector256.Sum(s00));
                    Store(c, n, i, j + 1, Vector256.Sum(s01));
                    Store(c, n, i + 1, j, Vector256.Sum(s10));
                    Store(c, n, i + 1, j + 1, Vector256.Sum(s11));
                }
            }
        }
    }

    // The padded row or column (when n is odd) is computed and dropped.
    private static void Store(int[] c, int n, int i, int j, int value)
    {
        if (i < n && j < n)
            c[(i * n) + j] = value;
    }
}
