using Gpunet.Agent.Probe;
using Gpunet.Core.Verification;

namespace Gpunet.IntegrationTests.Agent.Probe;

public sealed class CommittedProductTests
{
    [Theory]
    [InlineData(32, 32)]
    [InlineData(32, 256)]
    [InlineData(20, 100)] // rows not a multiple of the vector: the tail is added one by one
    public void Open_ProductNotKept_RecomputesTheSameRowsAsTheKeptProduct(int n, int k)
    {
        // A run whose products exceed HeldBytes keeps only the Merkle tree and recomputes the rows asked of a product
        // together; the checker must get exactly what the GPU committed.
        var challenge = new MatrixChallenge(Enumerable.Range(0, MatrixChallenge.SeedLength).Select(i => (byte)(i * 3)).ToArray(), n, k).Derive(1, 4);
        var product = MatrixChallengeProduct.Compute(challenge);
        var kept = CommittedProduct.Commit(challenge, product, keep: true);
        var recomputed = CommittedProduct.Commit(challenge, product, keep: false);
        int[] rows = [n - 1, 0, 17];

        var opened = recomputed.Open(rows);

        Assert.Equal(rows, opened.Select(o => o.Row));
        Assert.Equal(kept.Open(rows).Select(o => o.Values), opened.Select(o => o.Values));
        Assert.True(FreivaldsCheck.VerifyOpenings(challenge, recomputed.Root, rows, opened, 11).Passed);
    }
}
