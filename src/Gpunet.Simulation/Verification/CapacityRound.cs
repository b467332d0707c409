using Gpunet.Core.Verification;

namespace Gpunet.Simulation.Verification;

/// <summary>One honest checker's capacity check of one host, with the core's real rules: a fresh seed, every claimed
/// GPU's product really computed (and really wrong where the host cheats), committed, rows opened and verified by
/// Freivalds, and the simulated response time judged against the claimed model.</summary>
/// <remarks>The matrices are small (<see cref="VerificationOptions.MatrixSize"/>), as for a simulated agent: the time is
/// judged on the full-size work the claimed model would do (<c>CapacityTask.timing_size</c> 2,048, sized to 2 s by
/// <see cref="CapacityTiming.ProductsFor"/>). A slow host either answers late (timing fails) or skips the rows it has no
/// time for, answering made-up entries in their place; the checker opens <see cref="FreivaldsCheck.DefaultOpenedRows"/>
/// rows per GPU. At n = 128 those are a quarter of the rows, drawn without replacement, which catches a given share of
/// wrong rows a little more often than at n = 2,048 (both at least 1 − (1 − q)³²).</remarks>
internal static class CapacityRound
{
    /// <summary>The work whose time is judged: the protocol's default size.</summary>
    public const int TimingSize = MatrixChallenge.DefaultSize;

    private static readonly CapacityTimingOptions Timing = new();

    /// <summary>Whether every GPU of <paramref name="host"/> passes, as this checker finds.</summary>
    /// <param name="roundTripBefore">The round trip the checker measured just before (the timing allowance).</param>
    /// <param name="roundTripDuring">The round trip the answer actually took on the network.</param>
    public static bool Passes(SimulatedHost host, int size, double roundTripBefore, double roundTripDuring, SimRandom random)
    {
        var seed = new byte[MatrixChallenge.SeedLength];
        for (var i = 0; i < seed.Length; i += 8)
            BitConverter.TryWriteBytes(seed.AsSpan(i), random.Bits());
        var checkerSeed = random.Bits();
        var challenge = new MatrixChallenge(seed, size);
        var products = CapacityTiming.ProductsFor(host.ClaimedModel, TimingSize, Timing);
        var expected = CapacityTiming.ExpectedTime(host.ClaimedModel, TimingSize, products);
        var passed = true;
        for (var gpu = 0; gpu < host.CardFactors.Length; gpu++)
        {
            var mine = challenge.Derive(gpu, 0);
            var (product, computeShare) = Answer(host, gpu, mine, random);
            var commitment = MatrixChallengeCommitment.Commit(product, size);
            var rows = FreivaldsCheck.PickRows(size, Math.Min(FreivaldsCheck.DefaultOpenedRows, size), checkerSeed + (ulong)gpu);
            var openings = rows.Select(r => commitment.Open(product, r)).ToList();
            var verdict = FreivaldsCheck.VerifyOpenings(mine, commitment.Root, rows, openings, checkerSeed);

            // A run varies by about a per cent on one card.
            var compute = expected * computeShare * (1 + (0.01 * ((2 * random.Next()) - 1)));
            var measured = compute + TimeSpan.FromMilliseconds(roundTripDuring);
            var timing = CapacityTiming.Judge(host.ClaimedModel, TimingSize, products, measured, TimeSpan.FromMilliseconds(roundTripBefore), Timing);
            passed &= verdict.Passed && timing.Passed;
        }

        return passed;
    }

    // The host's product for one GPU, and its compute time as a share of the claimed model's expected time.
    private static (int[] Product, double ComputeShare) Answer(SimulatedHost host, int gpu, MatrixChallenge challenge, SimRandom random)
    {
        var product = MatrixChallengeProduct.Compute(challenge);
        var factor = host.CardFactors[gpu];
        switch (host.Cheat)
        {
            case CheatKind.WeakerCard or CheatKind.FewerGpus when host.SkipsRows:
                // It computes only the share of rows that fits the timing rule's card band, at its real speed.
                var computed = Math.Min(1, (1 + Timing.CardBand) * host.Speed / factor);
                MakeUp(product, challenge, (int)Math.Ceiling((1 - computed) * challenge.Size), random);
                return (product, factor * computed / host.Speed);
            case CheatKind.WeakerCard:
                return (product, factor / host.Speed);
            case CheatKind.FewerGpus:
                // Every real GPU computes its share of the claimed GPUs' products in turn.
                return (product, factor * Math.Ceiling((double)host.CardFactors.Length / host.ActualGpus));
            case CheatKind.WrongAnswers:
                MakeUp(product, challenge, Math.Max(1, (int)Math.Round(host.WrongShare * challenge.Size)), random);
                return (product, factor);
            default:
                return (product, factor);
        }
    }

    // Overwrites `count` distinct rows, at random, with entries a product of this size could hold (so that only the
    // product check, not the range check, can tell).
    private static void MakeUp(int[] product, MatrixChallenge challenge, int count, SimRandom random)
    {
        var n = challenge.Size;
        var (min, max) = challenge.ProductRange;
        var rows = Enumerable.Range(0, n).ToArray();
        for (var i = 0; i < Math.Min(count, n); i++)
        {
            var j = i + random.Index(n - i);
            (rows[i], rows[j]) = (rows[j], rows[i]);
            for (var k = 0; k < n; k++)
                product[(rows[i] * n) + k] = (int)random.Between(min, max);
        }
    }
}
