using Gpunet.Agent.Probe;
using Gpunet.Core.Verification;
using Microsoft.Extensions.Time.Testing;

namespace Gpunet.IntegrationTests.Agent.Probe;

public sealed class HoneypotCapacityComputeTests
{
    [Fact]
    public async Task ComputeAsync_AnswersAtTheDeclaredModelsTime_WithCommittedRowsThatFreivaldsRejects()
    {
        var check = new AnnouncedCheck("chk_1", CheckKind.Capacity, [], DateTimeOffset.MaxValue, Size: 32, Products: 2, TimingSize: 8192, TimingProducts: 40);
        var clock = new FakeTimeProvider();
        using var honeypot = new HoneypotCapacityCompute([(0, "H100-SXM5-80GB"), (3, "H100-SXM5-80GB")], clock);
        var challenge = new MatrixChallenge(Enumerable.Range(0, MatrixChallenge.SeedLength).Select(i => (byte)i).ToArray(), check.Size);

        var answer = honeypot.ComputeAsync(challenge, check, CancellationToken.None);
        var due = CapacityTiming.ExpectedTime("H100-SXM5-80GB", check.TimingSize, check.TimingProducts);
        clock.Advance(due - TimeSpan.FromMilliseconds(1));
        Assert.False(answer.IsCompleted); // no sooner than the card it claims: timing alone does not tell it apart
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var committed = await answer;

        Assert.Equal([0, 3], committed.Select(g => g.Gpu));
        int[] rows = [31, 0, 7];
        foreach (var gpu in committed)
        {
            for (var p = 0; p < check.Products; p++)
            {
                var product = gpu.Products[p];
                var opened = product.Open(rows);
                // Properly committed (the paths verify), and not the product: the check fails on the values.
                Assert.All(opened, o => Assert.True(MatrixChallengeCommitment.Verify(product.Root, check.Size, o)));
                var verdict = FreivaldsCheck.VerifyOpenings(challenge.Derive(gpu.Gpu, p), product.Root, rows, opened, 11);
                Assert.False(verdict.Passed);
                Assert.Equal(FreivaldsFailure.WrongProduct, verdict.Failure);
            }
        }
    }

    [Fact]
    public void CommitRows_NotKept_OpensTheSameRowsItCommittedTo()
    {
        // Past HeldBytes only the Merkle tree is kept and the rows are drawn again: they must be the committed ones.
        const int n = 24;
        int[] Rows(IReadOnlyList<int> rows) => HoneypotCapacityCompute.Rows(42, 1, 2, n, 512, rows);
        var kept = CommittedProduct.CommitRows(n, Rows, keep: true);
        var drawnAgain = CommittedProduct.CommitRows(n, Rows, keep: false);
        int[] asked = [n - 1, 5, 0];

        Assert.Equal(kept.Root, drawnAgain.Root);
        Assert.Equal(kept.Open(asked).Select(o => o.Values), drawnAgain.Open(asked).Select(o => o.Values));
        Assert.All(drawnAgain.Open(asked), o => Assert.True(MatrixChallengeCommitment.Verify(drawnAgain.Root, n, o)));
    }
}
