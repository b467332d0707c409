using System.Buffers;
using Gpunet.Core.Verification;

namespace Gpunet.Agent.Probe;

/// <summary>One product a GPU computed for a capacity check, committed (its Merkle root sent), waiting for the
/// checker to open rows of it.</summary>
/// <remarks>The product itself is kept when the check's products fit <see cref="HeldBytes"/>; otherwise only the
/// Merkle tree is, and an opened row is recomputed on the CPU from the challenge (n² multiply-adds a row), which
/// yields the same values the GPU committed when it computed correctly.</remarks>
internal sealed class CommittedProduct
{
    /// <summary>The most bytes of products one capacity run keeps for its openings (1 GiB).</summary>
    public const long HeldBytes = 1L << 30;

    private readonly MatrixChallenge _challenge;
    private readonly MatrixChallengeCommitment _commitment;
    private readonly int[]? _product;

    private CommittedProduct(MatrixChallenge challenge, MatrixChallengeCommitment commitment, int[]? product)
    {
        _challenge = challenge;
        _commitment = commitment;
        _product = product;
    }

    /// <summary>The Merkle root sent to the checker.</summary>
    public byte[] Root => _commitment.Root.ToArray();

    /// <summary>Whether products of a run of <paramref name="gpus"/> × <paramref name="products"/> products of size n
    /// are kept for their openings.</summary>
    public static bool Keeps(int gpus, int products, int size) => (long)gpus * products * size * size * sizeof(int) <= HeldBytes;

    /// <summary>Commits to <paramref name="product"/>, the host's C for <paramref name="challenge"/>.</summary>
    public static CommittedProduct Commit(MatrixChallenge challenge, int[] product, bool keep) =>
        new(challenge, MatrixChallengeCommitment.Commit(product, challenge.Size), keep ? product : null);

    /// <summary>Row <paramref name="row"/> with its Merkle path.</summary>
    public MatrixChallengeOpening Open(int row)
    {
        if (_product is not null)
            return _commitment.Open(_product, row);

        var n = _challenge.Size;
        var values = RecomputeRow(row);
        // Open reads only the asked row of the product it is given; the rest of the rented array is never read.
        var scratch = ArrayPool<int>.Shared.Rent(n * n);
        try
        {
            values.CopyTo(scratch.AsSpan(row * n, n));
            return _commitment.Open(scratch.AsSpan(0, n * n), row);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(scratch);
        }
    }

    // Row i of A·B: A[i]·B, accumulated row of B by row of B.
    private int[] RecomputeRow(int row)
    {
        var n = _challenge.Size;
        var rowOfA = new sbyte[n];
        var rowOfB = new sbyte[n];
        var values = new int[n];
        _challenge.GenerateRowOfA(row, rowOfA);
        for (var k = 0; k < n; k++)
        {
            int a = rowOfA[k];
            _challenge.GenerateRowOfB(k, rowOfB);
            for (var j = 0; j < n; j++)
                values[j] += a * rowOfB[j];
        }

        return values;
    }
}
