using System.Security.Cryptography;
using Gpunet.Core.Scheduling;
using Gpunet.Core.Verification;

namespace Gpunet.Agent.Probe;

/// <summary>The capacity compute of a honeypot (<c>--honeypot</c>): it commits, in the time its declared models would
/// take, to matrices that are not the challenge's product, so that every GPU fails Freivalds' check at every opened row.
/// Nothing is multiplied: each row is drawn from a key of the run, spread as a real product's entries are, and drawn the
/// same again when it is opened. A <c>--honeypot</c> agent uses it for its traps only.</summary>
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
        // Every product of every GPU drawn and committed on all cores, as a host's GPUs work side by side.
        var products = new CommittedProduct[gpus.Count, check.Products];
        await Task.Run(() => Parallel.For(0, gpus.Count * check.Products, new ParallelOptions { CancellationToken = ct }, i =>
        {
            var (g, p) = (i / check.Products, i % check.Products);
            products[g, p] = CommittedProduct.CommitRows(n, rows => Rows(key, gpus[g].Index, p, n, inner, rows), keep);
        }), ct);
        await due;
        return [.. gpus.Select((gpu, g) => new CommittedGpu(gpu.Index, [.. Enumerable.Range(0, check.Products).Select(p => products[g, p])]))];
    }

    /// <summary>Rows <paramref name="rows"/> of GPU <paramref name="gpu"/>'s product <paramref name="product"/>, one after
    /// the other: normal around 0 with the spread of a real product's entries, a sum of <paramref name="inner"/> products of
    /// uniform int8 values (standard deviation about 128² / 3 = 5,461 each, √k times that for the sum), within the range
    /// an int8 product can reach.</summary>
    internal static int[] Rows(ulong key, int gpu, int product, int n, int inner, IReadOnlyList<int> rows)
    {
        var k = Math.Max(1, inner);
        var sigma = 5_461.0 * Math.Sqrt(k);
        var (min, max) = (-16_256.0 * k, 16_384.0 * k);
        var values = new int[rows.Count * n];
        for (var i = 0; i < rows.Count; i++)
        {
            var random = new SeededRandom(key ^ ((ulong)(uint)gpu << 48) ^ ((ulong)(uint)product << 32) ^ (uint)rows[i]);
            for (var j = 0; j < n; j += 2)
            {
                // Box–Muller: two uniforms in (0, 1] give two independent normals.
                var u1 = ((random.NextUInt64() >> 11) + 1) * (1.0 / (1UL << 53));
                var u2 = (random.NextUInt64() >> 11) * (1.0 / (1UL << 53));
                var radius = sigma * Math.Sqrt(-2 * Math.Log(u1));
                values[(i * n) + j] = (int)Math.Clamp(Math.Round(radius * Math.Cos(2 * Math.PI * u2)), min, max);
                if (j + 1 < n)
                    values[(i * n) + j + 1] = (int)Math.Clamp(Math.Round(radius * Math.Sin(2 * Math.PI * u2)), min, max);
            }
        }

        return values;
    }

    public void Dispose()
    {
    }
}
