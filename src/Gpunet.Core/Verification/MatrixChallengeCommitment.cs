using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Gpunet.Core.Verification;

/// <summary>A host's commitment to a product C: a Merkle root over its rows, from which any row can later be opened
/// with a proof.</summary>
/// <remarks>The tree is RFC 9162's (Certificate Transparency v2): a leaf is SHA-256(0x00 ‖ row), an inner node
/// SHA-256(0x01 ‖ left ‖ right), so a leaf can never pass for an inner node. A row's bytes are its n entries as
/// little-endian int32. The tree is built level by level, an odd level's last node rising unpaired, which gives RFC
/// 9162's root for any number of leaves. The host sends the root before it learns which rows the checker will ask
/// for, so it cannot fit the rows it opens to what it committed.</remarks>
public sealed class MatrixChallengeCommitment
{
    /// <summary>Bytes of a SHA-256 hash.</summary>
    public const int HashLength = 32;

    // levels[0] are the leaf hashes, the last level is the root alone.
    private readonly byte[][][] _levels;

    private MatrixChallengeCommitment(byte[][][] levels, int size)
    {
        _levels = levels;
        Size = size;
    }

    /// <summary>n: rows committed, each of n entries.</summary>
    public int Size { get; }

    /// <summary>The Merkle root, 32 bytes.</summary>
    public ReadOnlySpan<byte> Root => _levels[^1][0];

    /// <summary>Commits to an n × n row-major product.</summary>
    public static MatrixChallengeCommitment Commit(ReadOnlySpan<int> product, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        ArgumentOutOfRangeException.ThrowIfNotEqual(product.Length, size * size, nameof(product));
        var leaves = new byte[size][];
        for (var i = 0; i < size; i++)
            leaves[i] = LeafHash(product.Slice(i * size, size));

        var levels = new List<byte[][]> { leaves };
        while (levels[^1].Length > 1)
        {
            var below = levels[^1];
            var above = new byte[(below.Length + 1) / 2][];
            for (var i = 0; i < above.Length; i++)
                above[i] = 2 * i + 1 < below.Length ? NodeHash(below[2 * i], below[(2 * i) + 1]) : below[2 * i];
            levels.Add(above);
        }

        return new MatrixChallengeCommitment([.. levels], size);
    }

    /// <summary>The root of an n × n product, without keeping the tree.</summary>
    public static byte[] RootOf(ReadOnlySpan<int> product, int size) => Commit(product, size).Root.ToArray();

    /// <summary>Opens row <paramref name="row"/> of <paramref name="product"/> (the product this commitment was made
    /// from).</summary>
    public MatrixChallengeOpening Open(ReadOnlySpan<int> product, int row)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(product.Length, Size * Size, nameof(product));
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Size);
        var path = new List<byte[]>();
        var index = row;
        for (var level = 0; level < _levels.Length - 1; level++, index >>= 1)
        {
            var sibling = index ^ 1;
            if (sibling < _levels[level].Length)
                path.Add(_levels[level][sibling]);
        }

        return new MatrixChallengeOpening(row, product.Slice(row * Size, Size).ToArray(), [.. path]);
    }

    /// <summary>Whether <paramref name="opening"/> is row <see cref="MatrixChallengeOpening.Row"/> of the n × n
    /// product whose root is <paramref name="root"/>.</summary>
    /// <remarks>False for a row of the wrong length, a row index outside 0 … n − 1, a path of the wrong length or with
    /// a hash that is not 32 bytes, or any changed entry or hash.</remarks>
    public static bool Verify(ReadOnlySpan<byte> root, int size, MatrixChallengeOpening opening)
    {
        ArgumentNullException.ThrowIfNull(opening);
        if (root.Length != HashLength || size <= 0 || opening.Row < 0 || opening.Row >= size ||
            opening.Values is null || opening.Values.Length != size || opening.Path is null)
        {
            return false;
        }

        var hash = LeafHash(opening.Values);
        var index = opening.Row;
        var width = size;
        var used = 0;
        while (width > 1)
        {
            var sibling = index ^ 1;
            if (sibling < width)
            {
                if (used >= opening.Path.Length || opening.Path[used] is not { Length: HashLength } next)
                    return false;
                hash = (index & 1) == 0 ? NodeHash(hash, next) : NodeHash(next, hash);
                used++;
            }

            index >>= 1;
            width = (width + 1) / 2;
        }

        return used == opening.Path.Length && CryptographicOperations.FixedTimeEquals(hash, root);
    }

    private static byte[] LeafHash(ReadOnlySpan<int> row)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData([0x00]);
        if (BitConverter.IsLittleEndian)
        {
            sha.AppendData(MemoryMarshal.AsBytes(row));
        }
        else
        {
            Span<byte> entry = stackalloc byte[4];
            foreach (var value in row)
            {
                BinaryPrimitives.WriteInt32LittleEndian(entry, value);
                sha.AppendData(entry);
            }
        }

        return sha.GetHashAndReset();
    }

    private static byte[] NodeHash(byte[] left, byte[] right)
    {
        Span<byte> input = stackalloc byte[1 + (2 * HashLength)];
        input[0] = 0x01;
        left.CopyTo(input[1..]);
        right.CopyTo(input[(1 + HashLength)..]);
        return SHA256.HashData(input);
    }
}
