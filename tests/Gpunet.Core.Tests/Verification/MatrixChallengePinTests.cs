using Gpunet.Core.Verification;

namespace Gpunet.Core.Tests.Verification;

/// <summary>Entries pinned from an independent Python reading of <see cref="MatrixChallenge"/>'s remarks (the square
/// layout every agent already derives), so that adding the inner size k changed no square challenge.</summary>
public sealed class MatrixChallengePinTests
{
    private static readonly byte[] PinSeed = [.. Enumerable.Range(1, MatrixChallenge.SeedLength).Select(i => (byte)(i * 11))];

    [Fact]
    public void Square_DerivedChallenge_GivesThePinnedEntriesOfAbAndC()
    {
        var square = new MatrixChallenge(PinSeed, 40).Derive(3, 5);
        var same = new MatrixChallenge(PinSeed, 40, innerSize: 40).Derive(3, 5);
        foreach (var c in new[] { square, same })
        {
            Assert.Equal([-122, -98, 13, 107, -37, -116, 103, -68], c.GenerateA().AsSpan((17 * 40) + 3, 8).ToArray().Select(v => (int)v));
            Assert.Equal([122, 41, 117, 21, -41, -46, 16, -8], c.GenerateB().AsSpan((39 * 40) + 30, 8).ToArray().Select(v => (int)v));
            Assert.Equal([-10571, 16065, -53931, 32648], MatrixChallengeProduct.Compute(c).AsSpan((21 * 40) + 9, 4).ToArray());
        }
    }

    [Fact]
    public void Rectangular_DerivedChallenge_ExtendsTheSameStreams()
    {
        // n = 32, k = 256: A's row 7 is entries 7·256 … of A's stream, B's row 255 entries 255·32 … of B's.
        var c = new MatrixChallenge(PinSeed, 32, innerSize: 256).Derive(3, 5);
        Assert.Equal([56, 109, 98, 100, -105, -122], c.GenerateA().AsSpan((7 * 256) + 250, 6).ToArray().Select(v => (int)v));
        Assert.Equal([41, -21, 82, -13], c.GenerateB().AsSpan(255 * 32, 4).ToArray().Select(v => (int)v));
        Assert.Equal([-92135, -82635, 95507, 64213], MatrixChallengeProduct.Compute(c).AsSpan(7 * 32, 4).ToArray());
    }
}
