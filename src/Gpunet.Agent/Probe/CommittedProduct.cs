using System.Buffers;
using Gpunet.Core.Verification;

namespace Gpunet.Agent.Probe;

/// <summary>One product a GPU computed for a capacity check, committed (its Merkle root sent), waiting for the
/// checker to open rows of it.</summary>
/// <remarks>The product itself is kept when the check's products fit <see cref="HeldBytes"/>; otherwise only the
/// Merkle tree is, and opened rows are recomputed on the CPU from the challenge (a honeypot's, from its own generator), all the rows asked of one product at
/// once (<see cref="MatrixChallengeProduct.ComputeRows"/>: B generated once and streamed), which yields the same values the
/// GPU committed when it computed correctly. Thread-safe: <see cref="Open"/> only reads.</remarks>
internal sealed class CommittedProduct
{
    /// <summary>The most bytes of products one capacity run keeps for its openings (1 GiB).</summary>
    public const long HeldBytes = 1L << 30;

    // The values of the rows asked, one after the other: how a product not kept is read again.
    private readonly Func<IReadOnlyList<int>, int[]> _rows;
    private readonly int _size;
    private readonly MatrixChallengeCommitment _commitment;
    private readonly int[]? _product;

    private CommittedProduct(Func<IReadOnlyList<int>, int[]> rows, int size, MatrixChallengeCommitment commitment, int[]? product)
    {
        _rows = rows;
        _size = size;
        _commitment = commitment;
        _product = product;
    }

    /// <summary>The Merkle root sent to the checker.</summary>
    public byte[] Root => _commitment.Root.ToArray();

    /// <summary>Whether products of a run of <paramref name="gpus"/> × <paramref name="products"/> products of size n
    /// are kept for their openings (C is n × n whatever the inner size).</summary>
    public static bool Keeps(int gpus, int products, int size) => (long)gpus * products * size * size * sizeof(int) <= HeldBytes;

    /// <summary>Commits to <paramref name="product"/>, the host's C for <paramref name="challenge"/>.</summary>
    public static CommittedProduct Commit(MatrixChallenge challenge, int[] product, bool keep) =>
        new(rows => MatrixChallengeProduct.ComputeRows(challenge, rows), challenge.Size, MatrixChallengeCommitment.Commit(product, challenge.Size),
            keep ? product : null);

    /// <summary>Commits to an n × n matrix that is not the challenge's product, whose rows <paramref name="rows"/> gives
    /// (the same values every time it is asked): what a honeypot commits to.</summary>
    public static CommittedProduct CommitRows(int size, Func<IReadOnlyList<int>, int[]> rows, bool keep)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var product = rows([.. Enumerable.Range(0, size)]);
        return new(rows, size, MatrixChallengeCommitment.Commit(product, size), keep ? product : null);
    }

    /// <summary>Rows <paramref name="rows"/> with their Merkle paths, in the order asked.</summary>
    public IReadOnlyList<MatrixChallengeOpening> Open(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (_product is not null)
            return [.. rows.Select(row => _commitment.Open(_product, row))];

        var n = _size;
        var values = _rows(rows);
        // Open reads only the asked row of the product it is given; the rest of the rented array is never read.
        var scratch = ArrayPool<int>.Shared.Rent(n * n);
        try
        {
            return [.. rows.Select((row, i) =>
            {
                values.AsSpan(i * n, n).CopyTo(scratch.AsSpan(row * n, n));
                return _commitment.Open(scratch.AsSpan(0, n * n), row);
            })];
        }
        finally
        {
            ArrayPool<int>.Shared.Return(scratch);
        }
    }
}
