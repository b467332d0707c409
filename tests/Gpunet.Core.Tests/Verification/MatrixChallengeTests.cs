using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Scheduling;
using Gpunet.Core.Verification;

namespace Gpunet.Core.Tests.Verification;

public sealed class MatrixChallengeTests
{
    [Property(MaxTest = 100)]
    public Property Generate_SameSeedOnBothSides_SameMatrices() =>
        Prop.ForAll(MatrixChallengeGen.Seed.ToArbitrary(), MatrixChallengeGen.Size.ToArbitrary(), (seed, n) =>
        {
            // The host and the checker each build the challenge from the seed bytes they hold.
            var host = new MatrixChallenge(seed.ToArray(), n);
            var checker = new MatrixChallenge(seed.ToArray(), n);
            Assert.Equal(host.GenerateA(), checker.GenerateA());
            Assert.Equal(host.GenerateB(), checker.GenerateB());
            Assert.NotEqual(host.GenerateA(), host.GenerateB());
        });

    [Property(MaxTest = 100)]
    public Property GenerateRowOfA_AnyRow_EqualsThatRowOfTheWholeMatrix() =>
        Prop.ForAll(MatrixChallengeGen.Seed.ToArbitrary(), MatrixChallengeGen.Size.ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), (seed, n, pick) =>
        {
            var challenge = new MatrixChallenge(seed, n);
            var row = pick % n;
            var alone = new sbyte[n];
            challenge.GenerateRowOfA(row, alone);
            Assert.Equal(challenge.GenerateA().AsSpan(row * n, n).ToArray(), alone);
        });

    [Fact]
    public void Generate_FixedSeed_GivesThePinnedEntries()
    {
        // Any other implementation (the agent's GPU kernel) must derive exactly these; a change here breaks every agent.
        // Checked against an independent Python reading of the remarks: key = first 8 bytes (LE) of
        // SHA-256("gpunet-matrix-v1/" ‖ seed ‖ "A"), word 0 = SplitMix64 mix of key + γ, its bytes LE.
        var challenge = new MatrixChallenge(new byte[32], 16);
        Assert.Equal([-30, -24, 45, 58, -122, -31, 125, -125], challenge.GenerateA()[..8].Select(v => (int)v));
        Assert.Equal([-118, 82, 30, 28, -44, 77, -93, 23], challenge.GenerateB()[..8].Select(v => (int)v));
    }

    [Fact]
    public void Generate_EveryEntry_IsTheSeededRandomStreamsBytes()
    {
        // The vectorised generator against the remarks read literally: word w of matrix M is the (w+1)-th value of
        // SeededRandom(key_M), key_M the first 8 bytes of SHA-256("gpunet-matrix-v1/" ‖ seed ‖ M), its bytes
        // little-endian the entries 8w … 8w+7.
        var seed = Enumerable.Range(1, 32).Select(i => (byte)(i * 37)).ToArray();
        var challenge = new MatrixChallenge(seed, 40);
        foreach (var (name, matrix) in new[] { ("A", challenge.GenerateA()), ("B", challenge.GenerateB()) })
        {
            var key = BitConverter.ToUInt64(SHA256.HashData([.. "gpunet-matrix-v1/"u8, .. seed, .. Encoding.ASCII.GetBytes(name)]));
            var stream = new SeededRandom(key);
            var expected = Enumerable.Range(0, 40 * 40 / 8).SelectMany(_ => BitConverter.GetBytes(stream.NextUInt64())).Select(b => unchecked((sbyte)b));
            Assert.Equal(expected, matrix);
        }
    }

    [Fact]
    public void Generate_LargeMatrix_CoversTheWholeInt8Range()
    {
        var a = MatrixChallengeGen.Challenge(7, 256).GenerateA();
        Assert.Equal(sbyte.MinValue, a.Min());
        Assert.Equal(sbyte.MaxValue, a.Max());
        // Uniform: the mean of 65,536 entries is within a few standard errors (73.9 / 256 ≈ 0.29) of −0.5.
        Assert.InRange(a.Average(v => (double)v), -2, 1);
    }

    [Fact]
    public void Derive_EachGpuAndProduct_GetsMatricesOfItsOwn()
    {
        var check = MatrixChallengeGen.Challenge(1, 16);
        var matrices = new[] { check, check.Derive(0, 0), check.Derive(1, 0), check.Derive(0, 1), check.Derive(1, 1) }
            .Select(c => Convert.ToHexString((byte[])(Array)c.GenerateA()))
            .ToArray();
        Assert.Equal(matrices.Length, matrices.Distinct().Count());
        Assert.Equal(check.Derive(1, 1).GenerateB(), MatrixChallengeGen.Challenge(1, 16).Derive(1, 1).GenerateB());
    }

    [Theory]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(0)]
    public void New_SeedNot32Bytes_Refused(int length)
    {
        var error = Assert.Throws<ArgumentException>(() => new MatrixChallenge(new byte[length]));
        Assert.Equal("seed", error.ParamName);
    }

    [Theory]
    [InlineData(15)]
    [InlineData(32_769)]
    [InlineData(-1)]
    public void New_SizeOutOfBounds_Refused(int size)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new MatrixChallenge(new byte[32], size));
        Assert.Equal("size", error.ParamName);
    }

    [Fact]
    public void ProductRange_LargestSize_FitsInt32()
    {
        // 16,384·n is the largest entry; int32 holds it for n below 131,072 and no further.
        Assert.True(128L * 128 * (MatrixChallenge.ExactInnerDimensionLimit - 1) <= int.MaxValue);
        Assert.True(128L * 128 * MatrixChallenge.ExactInnerDimensionLimit > int.MaxValue);
        var (min, max) = new MatrixChallenge(new byte[32], MatrixChallenge.MaxSize).ProductRange;
        Assert.InRange(min, int.MinValue, 0);
        Assert.InRange(max, 0, int.MaxValue);
    }

    [Theory]
    [InlineData(64, 0, 64)]
    [InlineData(64, 512, 512)]
    [InlineData(2048, 2048, 2048)]
    public void EffectiveInnerSize_ZeroMeansSquare_AnyOtherIsAsGiven(int size, int inner, int expected) =>
        Assert.Equal(expected, MatrixChallenge.EffectiveInnerSize(size, inner));

    [Fact]
    public void EffectiveInnerSize_Negative_IsRefusedByTheShapeNotReadAsSquare() =>
        Assert.NotNull(MatrixChallenge.ShapeError(64, MatrixChallenge.EffectiveInnerSize(64, -64)));
}
