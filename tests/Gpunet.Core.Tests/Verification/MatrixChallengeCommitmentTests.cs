using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Verification;

namespace Gpunet.Core.Tests.Verification;

public sealed class MatrixChallengeCommitmentTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(33)]
    public void Root_AnySize_IsRfc9162sTreeHead(int n)
    {
        var product = Enumerable.Range(0, n * n).Select(i => (i * 7919) - 5000).ToArray();
        var leaves = Enumerable.Range(0, n).Select(i => Hash([0x00, .. product.AsSpan(i * n, n).ToArray().SelectMany(BitConverter.GetBytes)])).ToArray();
        Assert.Equal(TreeHead(leaves), MatrixChallengeCommitment.Commit(product, n).Root.ToArray());
    }

    [Property(MaxTest = 100)]
    public Property Verify_EveryRowOpened_Accepted() =>
        Prop.ForAll(MatrixChallengeGen.Size.ToArbitrary(), Gen.Choose(0, 10_000).ToArbitrary(), (n, seed) =>
        {
            var product = MatrixChallengeProduct.Compute(MatrixChallengeGen.Challenge(seed, n));
            var commitment = MatrixChallengeCommitment.Commit(product, n);
            for (var row = 0; row < n; row++)
                Assert.True(MatrixChallengeCommitment.Verify(commitment.Root, n, commitment.Open(product, row)));
        });

    [Property(MaxTest = 200)]
    public Property Verify_OpeningAltered_Refused() =>
        Prop.ForAll(MatrixChallengeGen.Size.ToArbitrary(), Gen.Choose(0, 1_000_000).ToArbitrary(), Gen.Choose(0, 3).ToArbitrary(), (n, pick, how) =>
        {
            var product = MatrixChallengeProduct.Compute(MatrixChallengeGen.Challenge(pick, n));
            var commitment = MatrixChallengeCommitment.Commit(product, n);
            var honest = commitment.Open(product, pick % n);
            var altered = how switch
            {
                // One entry changed, as a host that computed the row wrong would send it.
                0 => honest with { Values = Changed(honest.Values, pick % n) },
                // The right row under another row's number.
                1 => honest with { Row = (honest.Row + 1) % n },
                // One bit of one path hash flipped.
                2 => honest with { Path = [.. honest.Path.Select((h, i) => i == pick % honest.Path.Length ? Flipped(h) : h)] },
                // The path cut short.
                _ => honest with { Path = honest.Path[..^1] },
            };
            Assert.False(MatrixChallengeCommitment.Verify(commitment.Root, n, altered));
        });

    private static int[] Changed(int[] values, int index)
    {
        var copy = values.ToArray();
        copy[index]++;
        return copy;
    }

    private static byte[] Flipped(byte[] hash)
    {
        var copy = hash.ToArray();
        copy[0] ^= 1;
        return copy;
    }

    private static byte[] Hash(byte[] bytes) => SHA256.HashData(bytes);

    // RFC 9162 §2.1.1: MTH(D[n]) = SHA-256(0x01 ‖ MTH(D[0:k]) ‖ MTH(D[k:n])), k the largest power of two below n.
    private static byte[] TreeHead(byte[][] leaves)
    {
        if (leaves.Length == 1)
            return leaves[0];
        var k = 1;
        while (k * 2 < leaves.Length)
            k *= 2;
        return Hash([0x01, .. TreeHead(leaves[..k]), .. TreeHead(leaves[k..])]);
    }
}
