using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Verification;

namespace Gpunet.Core.Tests.Verification;

public sealed class MatrixChallengeProductTests
{
    [Property(MaxTest = 100)]
    public Property Compute_RandomChallenge_EqualsTheTextbookProduct() =>
        Prop.ForAll(MatrixChallengeGen.Seed.ToArbitrary(), MatrixChallengeGen.Size.ToArbitrary(), (seed, n) =>
        {
            var challenge = new MatrixChallenge(seed, n);
            Assert.Equal(MatrixChallengeGen.NaiveProduct(challenge.GenerateA(), challenge.GenerateB(), n), MatrixChallengeProduct.Compute(challenge));
        });

    [Fact]
    public void Multiply_AllMinusOneTwentyEight_ReachesTheLargestEntryExactly()
    {
        const int n = 33;
        var m = Enumerable.Repeat(sbyte.MinValue, n * n).ToArray();
        Assert.All(MatrixChallengeProduct.Multiply(m, m, n, n, n), c => Assert.Equal(16_384 * n, c));
    }

    [Property(MaxTest = 100)]
    public Property ComputeRows_RandomRowsOfAnyShape_EqualTheRowsOfTheWholeProduct() =>
        Prop.ForAll(MatrixChallengeGen.Seed.ToArbitrary(), Gen.Zip(MatrixChallengeGen.Size, MatrixChallengeGen.InnerSize).ToArbitrary(),
            Gen.ArrayOf(Gen.Choose(0, 15)).ToArbitrary(), (seed, shape, picks) =>
            {
                var (n, k) = shape;
                // Any rows, in any order, repeats included: the agent opens them in the order the checker asked.
                var challenge = new MatrixChallenge(seed, n, k);
                var whole = MatrixChallengeProduct.Compute(challenge);
                int[] rows = [.. picks.Select(p => (p * 7) % n), n - 1];

                var computed = MatrixChallengeProduct.ComputeRows(challenge, rows);

                Assert.Equal(rows.SelectMany(r => whole.AsSpan(r * n, n).ToArray()), computed);
            });

    [Theory]
    [InlineData(33, 33, 1)]
    [InlineData(40, 100, 10)]
    [InlineData(32, 2_100, 32)]
    public void ComputeLeadingRows_ASlice_IsTheFirstRowsOfTheWholeProduct(int n, int k, int m)
    {
        var challenge = new MatrixChallenge(new byte[MatrixChallenge.SeedLength], n, k);
        Assert.Equal(MatrixChallengeProduct.Compute(challenge).AsSpan(0, m * n).ToArray(), MatrixChallengeProduct.ComputeLeadingRows(challenge, m));
    }
}
