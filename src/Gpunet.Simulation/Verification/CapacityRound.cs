using Gpunet.Core.Verification;

namespace Gpunet.Simulation.Verification;

/// <summary>One honest checker's capacity check of one host, with the core's real rules: a fresh seed, every claimed
/// GPU's product really computed (and really wrong where the host cheats), committed, rows opened and verified by
/// Freivalds, and the simulated response time judged against the claimed model.</summary>
/// <remarks>
/// <para>The matrices are small (<see cref="VerificationOptions.MatrixSize"/>), as for a simulated agent: the time is
/// judged on the full-size work the claimed model would do (<c>CapacityTask.timing_size</c> 2,048, sized to
/// <see cref="VerificationOptions.CapacityComputeTime"/> by <see cref="CapacityTiming.ProductsFor"/>). A slow host either answers late (timing fails) or skips the work it has
/// no time for, answering made-up entries in its place.</para>
/// <para>Rows are opened as the checker opens them: <see cref="VerificationOptions.OpenedRows"/> per GPU, drawn by
/// <see cref="CapacityRowPlan"/> over all of the GPU's <see cref="VerificationOptions.Products"/> products (64, the
/// coordinator's cap, which every claimed model reaches at n = 2,048). Every product of a GPU is modelled by its one
/// small product (computing 64 would cost 64 times the time and change no probability): a made-up row of any product
/// is a made-up row of that matrix, committed and caught by the real Merkle and Freivalds checks. Which rows a host
/// makes up does not matter, since the checker's draw is uniform and secret; here it is the last ones in product order
/// (a host that runs out of time). The draw is without replacement from 64 × n rows, n = 128 (the protocol's 64 × 2,048
/// is a sample with replacement in effect): the miss probability is (1 − q)ˢ within a factor e^(−q·s²/(2·64·n)),
/// 1.6 % more in the exponent at s = 256.</para>
/// </remarks>
internal static class CapacityRound
{
    /// <summary>The work whose time is judged: the protocol's default size.</summary>
    public const int TimingSize = MatrixChallenge.DefaultSize;

    /// <summary>± share by which one run's compute time strays on one card.</summary>
    public const double RunSpread = 0.01;

    /// <summary>Whether time alone can tell <paramref name="host"/> from its claim on every run: some GPU of it, even on
    /// its fastest run, takes longer than the card band lets an honest card take. A weaker card that is not is within the
    /// band: a unit of a model a few per cent slower than the claimed one (identical cards differ by ±4 %), which the rule
    /// passes by design, so the clock cannot catch it on every run.</summary>
    public static bool BeyondCardBand(SimulatedHost host, CapacityTimingOptions timing) =>
        host.CardFactors.Any(f => f / host.Speed * (1 - RunSpread) > 1 + timing.CardBand);

    /// <summary>How long a <see cref="CheatKind.DelayedPing"/> host delays a capacity check's pings, ms: enough that
    /// 1.3 × the delay covers its slowest GPU's lateness beyond the card band on a slow run, and 50 ms more.</summary>
    public static double PingDelayMs(SimulatedHost host, VerificationOptions options)
    {
        var timing = options.TimingOptions();
        var expected = CapacityTiming.ExpectedTime(host.ClaimedModel, TimingSize, CapacityTiming.ProductsFor(host.ClaimedModel, TimingSize, timing));
        var slowest = host.CardFactors.Max() / host.Speed * (1 + RunSpread);
        var late = expected.TotalMilliseconds * Math.Max(0, slowest - 1 - timing.CardBand);
        return (late / (1 + timing.JitterBand)) + 50;
    }

    /// <summary>Whether every GPU of <paramref name="host"/> passes, as this checker finds, and the timing of each GPU it
    /// judged (as its report signs them).</summary>
    /// <param name="roundTripBefore">The round trip the timing allowance rests on (the smallest the checker has seen).</param>
    /// <param name="roundTripDuring">The round trip the answer actually took on the network.</param>
    public static (bool Passed, List<CapacityGpuTiming> Gpus) Passes(SimulatedHost host, VerificationOptions options, double roundTripBefore,
        double roundTripDuring, SimRandom random)
    {
        var gpus = new List<CapacityGpuTiming>(host.CardFactors.Length);
        var size = options.MatrixSize;
        var seed = new byte[MatrixChallenge.SeedLength];
        for (var i = 0; i < seed.Length; i += 8)
            BitConverter.TryWriteBytes(seed.AsSpan(i), random.Bits());
        var checkerSeed = random.Bits();
        var challenge = new MatrixChallenge(seed, size);
        var timingOptions = options.TimingOptions();
        var timingProducts = CapacityTiming.ProductsFor(host.ClaimedModel, TimingSize, timingOptions);
        var expected = CapacityTiming.ExpectedTime(host.ClaimedModel, TimingSize, timingProducts);
        for (var gpu = 0; gpu < host.CardFactors.Length; gpu++)
        {
            var mine = challenge.Derive(gpu, 0);
            var (wrongShare, computeShare) = Answer(host, gpu, timingOptions);
            var picks = CapacityRowPlan.Pick(size, options.Products, options.OpenedRows, checkerSeed + (ulong)gpu);
            var productCorrect = Verify(mine, picks, options.Products, wrongShare, checkerSeed, random);

            // A run varies by about a per cent on one card.
            var compute = expected * computeShare * (1 + (RunSpread * ((2 * random.Next()) - 1)));
            var measured = compute + TimeSpan.FromMilliseconds(roundTripDuring);
            var allowance = TimeSpan.FromMilliseconds(roundTripBefore);
            var timing = CapacityTiming.Judge(host.ClaimedModel, TimingSize, timingProducts, measured, allowance, timingOptions);
            gpus.Add(new CapacityGpuTiming(gpu, productCorrect && timing.Passed, productCorrect, measured, expected, allowance));
            // One failing GPU fails the host: the others need not be checked.
            if (!productCorrect || !timing.Passed)
                return (false, gpus);
        }

        return (true, gpus);
    }

    /// <summary>What a lazy checker signs without probing: every GPU passed, answered in the claimed model's expected
    /// time plus the round trip (the lie least likely to stand out).</summary>
    public static List<CapacityGpuTiming> MadeUp(SimulatedHost host, VerificationOptions options, double roundTripMs)
    {
        var timing = options.TimingOptions();
        var expected = CapacityTiming.ExpectedTime(host.ClaimedModel, TimingSize, CapacityTiming.ProductsFor(host.ClaimedModel, TimingSize, timing));
        var rtt = TimeSpan.FromMilliseconds(roundTripMs);
        return [.. Enumerable.Range(0, host.CardFactors.Length).Select(g => new CapacityGpuTiming(g, true, true, expected + rtt, expected, rtt))];
    }

    // The share of its rows a GPU of the host makes up, and its compute time as a share of the claimed model's expected time.
    private static (double WrongShare, double ComputeShare) Answer(SimulatedHost host, int gpu, CapacityTimingOptions timing)
    {
        var factor = host.CardFactors[gpu];
        switch (host.Cheat)
        {
            case CheatKind.WeakerCard or CheatKind.FewerGpus when host.SkipsRows:
                // It computes only the share of rows that fits the timing rule's card band, at its real speed.
                var computed = Math.Min(1, (1 + timing.CardBand) * host.Speed / factor);
                return (1 - computed, factor * computed / host.Speed);
            case CheatKind.WeakerCard or CheatKind.DelayedPing:
                return (0, factor / host.Speed);
            case CheatKind.FewerGpus:
                // Every real GPU computes its share of the claimed GPUs' products in turn.
                return (0, factor * Math.Ceiling((double)host.CardFactors.Length / host.ActualGpus));
            case CheatKind.WrongAnswers:
                return (host.WrongShare, factor);
            default:
                return (0, factor);
        }
    }

    // Whether the opened rows pass: honest ones against the honest product's commitment, and those of each product
    // with made-up rows against that product as the host committed it.
    private static bool Verify(MatrixChallenge challenge, IReadOnlyList<CapacityRowPick> picks, int products, double wrongShare, ulong checkerSeed,
        SimRandom random)
    {
        var n = challenge.Size;
        // Rows from this one on, in product order, are made up (at least one when any share is).
        var firstWrong = wrongShare <= 0 ? long.MaxValue : (long)Math.Floor((1 - wrongShare) * products * n);
        var honest = MatrixChallengeProduct.Compute(challenge);
        foreach (var product in picks.GroupBy(p => p.Product))
        {
            var rows = product.Select(p => p.Row).ToList();
            var wrong = rows.Where(r => ((long)product.Key * n) + r >= firstWrong).ToList();
            if (wrong.Count == 0)
                continue;
            var answered = (int[])honest.Clone();
            MakeUp(answered, challenge, wrong, random);
            if (!Opens(challenge, answered, rows, checkerSeed))
                return false;
        }

        // Every other opened row is honest: one check of their distinct rows against the honest commitment.
        var honestRows = picks.Where(p => ((long)p.Product * n) + p.Row < firstWrong).Select(p => p.Row).Distinct().Order().ToList();
        return honestRows.Count == 0 || Opens(challenge, honest, honestRows, checkerSeed);
    }

    private static bool Opens(MatrixChallenge challenge, int[] product, IReadOnlyList<int> rows, ulong checkerSeed)
    {
        var commitment = MatrixChallengeCommitment.Commit(product, challenge.Size);
        var openings = rows.Select(r => commitment.Open(product, r)).ToList();
        return FreivaldsCheck.VerifyOpenings(challenge, commitment.Root, rows, openings, checkerSeed).Passed;
    }

    // Overwrites `rows` with entries a product of this size could hold (so that only the product check, not the range
    // check, can tell).
    private static void MakeUp(int[] product, MatrixChallenge challenge, IEnumerable<int> rows, SimRandom random)
    {
        var n = challenge.Size;
        var (min, max) = challenge.ProductRange;
        foreach (var row in rows)
        {
            for (var k = 0; k < n; k++)
                product[(row * n) + k] = (int)random.Between(min, max);
        }
    }
}
