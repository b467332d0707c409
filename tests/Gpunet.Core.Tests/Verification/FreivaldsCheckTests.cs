using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Verification;

namespace Gpunet.Core.Tests.Verification;

public sealed class FreivaldsCheckTests
{
    private const int N = 48;

    // Rows opened from an N = 48 product: fewer than N, so that opening is a sample (the default, 256, is not).
    private const int Opened = 32;

    [Fact]
    public void Verify_CorrectProduct_PassesEveryWay()
    {
        var (challenge, product, commitment) = Answer(1);
        var rows = FreivaldsCheck.PickRows(N, Opened, 99);
        var openings = rows.Select(r => commitment.Open(product, r)).ToArray();

        Assert.True(FreivaldsCheck.VerifyProduct(challenge, product, commitment.Root, 5).Passed);
        Assert.True(FreivaldsCheck.VerifyOpenings(challenge, commitment.Root, rows, openings, 5).Passed);
        Assert.True(FreivaldsCheck.RecomputeOpenings(challenge, commitment.Root, rows, openings).Passed);
    }

    [Property(MaxTest = 300)]
    public Property VerifyProduct_OneWrongEntryAnywhere_Caught() =>
        Prop.ForAll(Gen.Choose(0, (N * N) - 1).ToArbitrary(), Gen.Choose(-3, 3).Where(d => d != 0).ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(),
            (position, delta, checkerSeed) =>
            {
                var (challenge, product, _) = Answer(position);
                // The host commits to its wrong product, so only Freivalds can tell.
                product[position] += delta;
                var verdict = FreivaldsCheck.VerifyProduct(challenge, product, MatrixChallengeCommitment.RootOf(product, N), (ulong)checkerSeed);
                Assert.Equal(FreivaldsFailure.WrongProduct, verdict.Failure);
                Assert.Equal(position / N, verdict.Row);
            });

    [Property(MaxTest = 300)]
    public Property VerifyOpenings_OpenedRowWithOneWrongEntry_Caught() =>
        Prop.ForAll(Gen.Choose(0, (N * N) - 1).ToArbitrary(), Gen.Choose(-3, 3).Where(d => d != 0).ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(),
            (position, delta, checkerSeed) =>
            {
                var (challenge, product, _) = Answer(position);
                product[position] += delta;
                var commitment = MatrixChallengeCommitment.Commit(product, N);
                int[] rows = [.. new[] { position / N, (position / N + 5) % N }.Order()];
                var openings = rows.Select(r => commitment.Open(product, r)).ToArray();
                var verdict = FreivaldsCheck.VerifyOpenings(challenge, commitment.Root, rows, openings, (ulong)checkerSeed);
                Assert.Equal(FreivaldsFailure.WrongProduct, verdict.Failure);
                Assert.Equal(position / N, verdict.Row);
            });

    [Fact]
    public void VerifyOpenings_QuarterOfRowsWrong_CaughtByEveryCheckerSeed()
    {
        // A host that skips a quarter of the work: caught unless all 32 rows opened miss them, (3/4)^32 ≈ 1e-4.
        var (challenge, product, _) = Answer(3);
        for (var row = 0; row < N; row += 4)
            product[(row * N) + 7] ^= 1;
        var commitment = MatrixChallengeCommitment.Commit(product, N);
        for (ulong seed = 0; seed < 200; seed++)
        {
            var rows = FreivaldsCheck.PickRows(N, Opened, seed);
            var verdict = FreivaldsCheck.VerifyOpenings(challenge, commitment.Root, rows, [.. rows.Select(r => commitment.Open(product, r))], seed);
            Assert.Equal(FreivaldsFailure.WrongProduct, verdict.Failure);
        }
    }

    [Fact]
    public void VerifyOpenings_RowNotMatchingRoot_RefusedAsNotCommitted()
    {
        var (challenge, product, commitment) = Answer(4);
        int[] rows = [2, 9];
        var openings = rows.Select(r => commitment.Open(product, r)).ToArray();
        // The host opens a correct row 9, but not the one it committed to: it changed its answer after the root.
        var values = openings[1].Values.ToArray();
        values[0]++;
        openings[1] = openings[1] with { Values = values };
        var verdict = FreivaldsCheck.VerifyOpenings(challenge, commitment.Root, rows, openings, 1);
        Assert.Equal(FreivaldsFailure.NotCommitted, verdict.Failure);
        Assert.Equal(9, verdict.Row);
    }

    [Fact]
    public void VerifyOpenings_OtherRowsThanAsked_Refused()
    {
        var (challenge, product, commitment) = Answer(5);
        var verdict = FreivaldsCheck.VerifyOpenings(challenge, commitment.Root, [2, 9], [commitment.Open(product, 2), commitment.Open(product, 10)], 1);
        Assert.Equal(FreivaldsFailure.WrongRows, verdict.Failure);
        Assert.Equal(FreivaldsFailure.WrongRows,
            FreivaldsCheck.VerifyOpenings(challenge, commitment.Root, [2, 9], [commitment.Open(product, 2)], 1).Failure);
    }

    [Fact]
    public void VerifyProduct_EntryNoProductCanHold_RefusedAsOutOfRange()
    {
        var (challenge, product, _) = Answer(6);
        product[100] = int.MaxValue;
        var verdict = FreivaldsCheck.VerifyProduct(challenge, product, MatrixChallengeCommitment.RootOf(product, N), 1);
        Assert.Equal(FreivaldsFailure.EntryOutOfRange, verdict.Failure);
        Assert.Equal(100 / N, verdict.Row);
    }

    [Fact]
    public void VerifyProduct_WrongSizeOrOtherRoot_Refused()
    {
        var (challenge, product, _) = Answer(7);
        Assert.Equal(FreivaldsFailure.WrongSize, FreivaldsCheck.VerifyProduct(challenge, product.AsSpan(0, product.Length - 1), new byte[32], 1).Failure);
        Assert.Equal(FreivaldsFailure.NotCommitted, FreivaldsCheck.VerifyProduct(challenge, product, new byte[32], 1).Failure);
    }

    [Fact]
    public void VerifyProduct_AnswerToAnotherChallenge_Caught()
    {
        var (challenge, _, _) = Answer(8);
        var (_, other, commitment) = Answer(9);
        Assert.Equal(FreivaldsFailure.WrongProduct, FreivaldsCheck.VerifyProduct(challenge, other, commitment.Root, 1).Failure);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(15, 1)]
    [InlineData(16, 2)]
    [InlineData(20, 2)]
    [InlineData(64, 5)]
    public void VectorsFor_SecurityBits_EnoughFifteenBitVectors(int k, int vectors) =>
        Assert.Equal(vectors, FreivaldsCheck.VectorsFor(k));

    [Property(MaxTest = 200)]
    public Property PickRows_AnySeed_DistinctAscendingRowsInRange() =>
        Prop.ForAll(Gen.Choose(1, 200).ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(), (n, seed) =>
        {
            var count = Math.Min(n, FreivaldsCheck.DefaultOpenedRows);
            var rows = FreivaldsCheck.PickRows(n, count, (ulong)seed);
            Assert.Equal(count, rows.Length);
            Assert.Equal(rows.Order(), rows);
            Assert.Equal(count, rows.Distinct().Count());
            Assert.All(rows, r => Assert.InRange(r, 0, n - 1));
        });

    private static (MatrixChallenge Challenge, int[] Product, MatrixChallengeCommitment Commitment) Answer(int seed)
    {
        var challenge = MatrixChallengeGen.Challenge(seed, N);
        var product = MatrixChallengeProduct.Compute(challenge);
        return (challenge, product, MatrixChallengeCommitment.Commit(product, N));
    }
}
