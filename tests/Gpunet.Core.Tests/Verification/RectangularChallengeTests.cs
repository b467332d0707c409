using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Verification;

namespace Gpunet.Core.Tests.Verification;

/// <summary>Rectangular challenges (A n × k, B k × n): what a real GPU computes, so that its time is arithmetic rather
/// than generating, copying and hashing.</summary>
public sealed class RectangularChallengeTests
{
    private const int N = 32;
    private const int K = 256;

    [Property(MaxTest = 40)]
    public Property Compute_RandomShape_EqualsTheTextbookProduct() =>
        Prop.ForAll(MatrixChallengeGen.Seed.ToArbitrary(), MatrixChallengeGen.Size.ToArbitrary(), MatrixChallengeGen.InnerSize.ToArbitrary(), (seed, n, k) =>
        {
            var challenge = new MatrixChallenge(seed, n, k);
            Assert.Equal(n * k, challenge.GenerateA().Length);
            Assert.Equal(MatrixChallengeGen.NaiveProduct(challenge.GenerateA(), challenge.GenerateB(), n, k), MatrixChallengeProduct.Compute(challenge));
        });

    [Property(MaxTest = 40)]
    public Property GenerateRows_AnyRow_EqualsThatRowOfTheWholeMatrix() =>
        Prop.ForAll(MatrixChallengeGen.Seed.ToArbitrary(), MatrixChallengeGen.InnerSize.ToArbitrary(), Gen.Choose(0, 10_000).ToArbitrary(), (seed, k, pick) =>
        {
            var challenge = new MatrixChallenge(seed, N, k);
            var rowOfA = new sbyte[k];
            challenge.GenerateRowOfA(pick % N, rowOfA);
            Assert.Equal(challenge.GenerateA().AsSpan(pick % N * k, k).ToArray(), rowOfA);
            var rowOfB = new sbyte[N];
            challenge.GenerateRowOfB(pick % k, rowOfB);
            Assert.Equal(challenge.GenerateB().AsSpan(pick % k * N, N).ToArray(), rowOfB);
        });

    [Fact]
    public void Verify_CorrectRectangularProduct_PassesEveryWay()
    {
        var (challenge, product, commitment) = Answer(1);
        var rows = FreivaldsCheck.PickRows(N, 8, 99);
        var openings = rows.Select(r => commitment.Open(product, r)).ToArray();

        Assert.True(FreivaldsCheck.VerifyProduct(challenge, product, commitment.Root, 5).Passed);
        Assert.True(FreivaldsCheck.VerifyOpenings(challenge, commitment.Root, rows, openings, 5).Passed);
        Assert.True(FreivaldsCheck.RecomputeOpenings(challenge, commitment.Root, rows, openings).Passed);
    }

    [Property(MaxTest = 100)]
    public Property VerifyOpenings_RectangularRowWithOneWrongEntry_Caught() =>
        Prop.ForAll(Gen.Choose(0, (N * N) - 1).ToArbitrary(), Gen.Choose(-3, 3).Where(d => d != 0).ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(),
            (position, delta, checkerSeed) =>
            {
                var (challenge, product, _) = Answer(position);
                product[position] += delta;
                var commitment = MatrixChallengeCommitment.Commit(product, N);
                int[] rows = [position / N];
                var verdict = FreivaldsCheck.VerifyOpenings(challenge, commitment.Root, rows, [commitment.Open(product, rows[0])], (ulong)checkerSeed);
                Assert.Equal(FreivaldsFailure.WrongProduct, verdict.Failure);
                Assert.Equal(position / N, verdict.Row);
            });

    [Fact]
    public void Verify_SquareAnswerToARectangularChallenge_Caught()
    {
        // A host that computes the square product of the same seed (k = n, 8 times less work) is wrong.
        var (challenge, _, _) = Answer(2);
        var square = MatrixChallengeProduct.Compute(new MatrixChallenge(challenge.Seed, N));
        var verdict = FreivaldsCheck.VerifyProduct(challenge, square, MatrixChallengeCommitment.RootOf(square, N), 7);
        Assert.Equal(FreivaldsFailure.WrongProduct, verdict.Failure);
    }

    [Fact]
    public void ProductRange_IsBoundByTheInnerSize()
    {
        // Every entry 16,384·k at all −128: the largest a true product of inner size k can hold, and refused above it.
        var (challenge, product, _) = Answer(3);
        Assert.Equal((-128L * 127 * K, 128L * 128 * K), challenge.ProductRange);
        product[5] = (128 * 128 * K) + 1;
        Assert.Equal(FreivaldsFailure.EntryOutOfRange, FreivaldsCheck.VerifyProduct(challenge, product, MatrixChallengeCommitment.RootOf(product, N), 1).Failure);
        var m = Enumerable.Repeat(sbyte.MinValue, N * K).ToArray();
        Assert.All(MatrixChallengeProduct.Multiply(m, m, N, K, N), c => Assert.Equal(128 * 128 * K, c));
    }

    [Fact]
    public void Derive_KeepsTheShape()
    {
        var check = new MatrixChallenge(new byte[MatrixChallenge.SeedLength], N, K);
        var derived = check.Derive(2, 3);
        Assert.Equal((N, K), (derived.Size, derived.InnerSize));
        Assert.NotEqual(check.GenerateA(), derived.GenerateA());
    }

    [Theory]
    [InlineData(32, 15)]
    [InlineData(32, MatrixChallenge.ExactInnerDimensionLimit)]
    [InlineData(16_384, 65_537)]
    [InlineData(32, -1)]
    public void New_InnerSizeBeyondTheBounds_Refused(int size, int inner)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new MatrixChallenge(new byte[MatrixChallenge.SeedLength], size, inner));
        Assert.Equal("innerSize", error.ParamName);
    }

    [Fact]
    public void New_LargestExactInnerSize_Accepted()
    {
        // k = 131,071 is the last k whose largest entry, 16,384·k, an int32 holds; n·k is then 2,048 × 131,071 < 2³⁰.
        var challenge = new MatrixChallenge(new byte[MatrixChallenge.SeedLength], 2048, MatrixChallenge.MaxInnerSize);
        Assert.InRange(challenge.ProductRange.Max, 0, int.MaxValue);
        Assert.Equal(2048L * 2048 * MatrixChallenge.MaxInnerSize, challenge.MultiplyAccumulates);
    }

    private static (MatrixChallenge Challenge, int[] Product, MatrixChallengeCommitment Commitment) Answer(int seed)
    {
        var bytes = new byte[MatrixChallenge.SeedLength];
        BitConverter.GetBytes(seed).CopyTo(bytes, 0);
        var challenge = new MatrixChallenge(bytes, N, K);
        var product = MatrixChallengeProduct.Compute(challenge);
        return (challenge, product, MatrixChallengeCommitment.Commit(product, N));
    }
}
