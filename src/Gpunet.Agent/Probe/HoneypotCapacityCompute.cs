using System.Security.Cryptography;
using Gpunet.Core.Scheduling;
using Gpunet.Core.Verification;

namespace Gpunet.Agent.Probe;

/// <summary>The capacity compute of a honeypot (<c>--honeypot</c>): it commits, in the time its declared models would
/// take, to matrices that are not the challenge's product, so that every GPU fails Freivalds' check at every opened row.
/// Nothing is multiplied: each row is drawn from a key of the run, in the range a real product's values spread over, and
/// drawn the same again when it is opened.</summary>
/// <param name="gpus">The host's GPUs: index and declared canonical model.</param>
internal sealed class HoneypotCapacityCompute(IReadOnlyList<(int Index, string Model)> gpus, TimeProvider time) : ICapacityCompute
{
    public async Task<IReadOnlyList<CommittedGpu>> ComputeAsync(MatrixChallenge challenge, AnnouncedCheck check, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        ArgumentNullException.ThrowIfNull(check);
        var due = Task.Delay(SimulatedCapacityCompute.PerformingTime([.. gpus.Select(g => g.Model)], check), time, ct);
        var key = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(sizeof(ulong)));
        var (n, inner) = (challenge.Size, check.Inner);
        var keep = CommittedProduct.Keeps(gpus.Count, check.Products, n);
        var committed = await Task.Run(() => gpus.Select(g => new CommittedGpu(g.Index, [.. Enumerable.Range(0, check.Products).Select(p =>
            CommittedProduct.CommitRows(n, rows => Rows(key, g.Index, p, n, inner, rows), keep))])).ToArray(), ct);
        await due;
        return committed;
    }

    /// <summary>Rows <paramref name="rows"/> of GPU <paramref name="gpu"/>'s product <paramref name="product"/>, one after
    /// the other: uniform within two standard deviations of a sum of <paramref name="inner"/> products of int8 values.</summary>
    internal static int[] Rows(ulong key, int gpu, int product, int n, int inner, IReadOnlyList<int> rows)
    {
        // An int8 × int8 product has a standard deviation of about 128² / 3 = 5,461; a sum of k of them, √k times that.
        var bound = (ulong)Math.Min(int.MaxValue / 2, 2 * 5_461 * Math.Sqrt(Math.Max(1, inner)));
        var values = new int[rows.Count * n];
        for (var i = 0; i < rows.Count; i++)
        {
            var random = new SeededRandom(key ^ ((ulong)(uint)gpu << 48) ^ ((ulong)(uint)product << 32) ^ (uint)rows[i]);
            for (var j = 0; j < n; j++)
                values[(i * n) + j] = (int)((long)(random.NextUInt64() % ((2 * bound) + 1)) - (long)bound);
        }

        return values;
    }

    public void Dispose()
    {
    }
}
