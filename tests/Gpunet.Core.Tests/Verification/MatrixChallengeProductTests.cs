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
        Assert.All(MatrixChallengeProduct.Multiply(m, m, n), c => Assert.Equal(16_384 * n, c));
    }
}
