using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;
using System.Text.Json;
using Gpunet.Core.Verification;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Bench;

/// <summary><c>gpunet bench verify</c>: how much cheaper a checker's capacity verification is than the work it
/// verifies, both on one CPU core.</summary>
/// <remarks>recompute: derive A and B from a fresh seed and compute C = A·B (<see cref="MatrixChallengeProduct"/>,
/// AVX2 int16 multiply-add). verify: what the checker does (<see cref="FreivaldsCheck.VerifyOpenings"/>): derive B and
/// the opened rows of A, check each opened row's Merkle proof against the host's root, and Freivalds on those rows.
/// Also timed, for comparison: Freivalds on the whole returned C with its root (<see cref="FreivaldsCheck.VerifyProduct"/>)
/// and exact recomputation of the opened rows (<see cref="FreivaldsCheck.RecomputeOpenings"/>). Every figure is the
/// best of several runs after a warm-up (9 for each verification, 3 for the recompute), the same statistic on both
/// sides of the ratio: on a shared machine the best run is the one least disturbed by other work. A product with
/// one wrong entry in an opened row must be caught, or the bench fails.
/// <para><c>--inner K</c> times a rectangular challenge (A n × k, B k × n, the shape a real GPU computes). When the
/// product is larger than <see cref="FullRecomputeLimit"/> multiply-adds, recomputing it whole on one core takes
/// minutes, so the recompute figure is extrapolated: two slices of C are timed, 2 rows (B's part: generating all of
/// B, widening and transposing it) and n/4 rows (the same and a quarter of the multiplication), and the time is the
/// first plus the second's extra per row for every row. A quarter, not less, because a slice whose rows of A fit the
/// L2 cache multiplies faster per row than the whole product (n/16 rows understated a full recompute threefold at
/// n = 1,024). Then C holds only the opened rows (the rest zero, committed all the same), so only the opened-row
/// checks run.</para></remarks>
internal sealed class BenchVerifyCommand : Command<BenchVerifyCommand.Settings>
{
    private const int VerifyRuns = 9;
    private const int RecomputeRuns = 3;

    /// <summary>Largest product recomputed whole: 2³⁴ multiply-adds (2 × 2,048³, a few seconds on one core).</summary>
    private const long FullRecomputeLimit = 1L << 34;

    // Rows of the slice that times B's part of a recompute (generating it, widening and transposing it): the
    // multiplication of 2 rows adds next to nothing.
    private const int FixedRows = 2;

    public sealed class Settings : CommandSettings
    {
        [CommandOption("-n|--size <N>")]
        [Description("Matrix size n (A, B and C are n × n); also spelled --n. Default 2048")]
        public int N { get; init; } = MatrixChallenge.DefaultSize;

        [CommandOption("-k|--security-bits <K>")]
        [Description("A wrong product passes with probability at most 2^-k; also spelled --k. Default 20 (two vectors of 15-bit entries)")]
        public int K { get; init; } = FreivaldsCheck.DefaultSecurityBits;

        [CommandOption("--inner <K>")]
        [Description("Inner dimension k: A is n × k, B k × n, C n × n (a real host's capacity check uses k up to Coordinator:MaxInnerSize, 65,536). Default n (square)")]
        public int? Inner { get; init; }

        [CommandOption("--rows <S>")]
        [Description("Rows of this product the checker opens. Default 32: a real check spreads its 256 rows per GPU over its products (4 each at 64), so 32 in one product is a conservative measure")]
        public int Rows { get; init; } = 32;

        [CommandOption("--json")]
        [Description("Print one JSON object")]
        public bool Json { get; init; }

        public override ValidationResult Validate() =>
            N is < MatrixChallenge.MinSize or > MatrixChallenge.MaxSize ? ValidationResult.Error($"--n: {MatrixChallenge.MinSize} to {MatrixChallenge.MaxSize}")
            : K is < 1 or > FreivaldsCheck.MaxSecurityBits ? ValidationResult.Error($"--k: 1 to {FreivaldsCheck.MaxSecurityBits}")
            : Rows < 1 || Rows > N ? ValidationResult.Error("--rows: 1 to n")
            : MatrixChallenge.ShapeError(N, Inner ?? N) is { } shape ? ValidationResult.Error($"--inner: {shape}")
            : ValidationResult.Success();
    }

    /// <summary>The arguments with <c>--n</c> and <c>--k</c> (the issue's spelling, which the command parser refuses:
    /// a long option needs two letters) rewritten as <c>-n</c> and <c>-k</c>, for <c>bench verify</c> only.</summary>
    internal static string[] SpelledOut(string[] args)
    {
        if (args.Length < 2 || args[0] != "bench" || args[1] != "verify")
            return args;
        return [.. args.Select(a => a switch
        {
            "--n" => "-n",
            "--k" => "-k",
            _ when a.StartsWith("--n=", StringComparison.Ordinal) || a.StartsWith("--k=", StringComparison.Ordinal) => a[1..],
            _ => a,
        })];
    }

    public override int Execute(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        // Warm-up at a small size, so that neither side is timed while the JIT compiles it.
        Measure(new Settings { N = 64, K = s.K, Rows = Math.Min(s.Rows, 64), Json = true });
        Measure(new Settings { N = 64, Inner = 64 * 64, K = s.K, Rows = Math.Min(s.Rows, 64), Json = true });
        var r = Measure(s);
        Print(s, r);
        return r.Passed && r.WrongCaught ? 0 : 1;
    }

    private sealed record Result(double RecomputeMs, bool Estimated, double CommitMs, double VerifyMs, double? FullVerifyMs, double ExactRowsMs,
        bool Passed, bool WrongCaught, string? Failure);

    private static Result Measure(Settings s)
    {
        var challenge = new MatrixChallenge(RandomNumberGenerator.GetBytes(MatrixChallenge.SeedLength), s.N, s.Inner);
        var checkerSeed = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
        var rows = FreivaldsCheck.PickRows(s.N, s.Rows, checkerSeed);
        var estimated = challenge.MultiplyAccumulates > FullRecomputeLimit;

        int[] product = null!;
        double recomputeMs;
        if (estimated)
        {
            var slice = s.N / 4;
            var fixedMs = Best(RecomputeRuns, () => MatrixChallengeProduct.ComputeLeadingRows(challenge, FixedRows));
            var sliceMs = Best(RecomputeRuns, () => MatrixChallengeProduct.ComputeLeadingRows(challenge, slice));
            recomputeMs = fixedMs + ((sliceMs - fixedMs) / (slice - FixedRows) * (s.N - FixedRows));
            // Only the opened rows of C, exact; the others stay zero and are committed as they are.
            product = new int[s.N * s.N];
            var opened = MatrixChallengeProduct.ComputeRows(challenge, rows);
            for (var i = 0; i < rows.Length; i++)
                opened.AsSpan(i * s.N, s.N).CopyTo(product.AsSpan(rows[i] * s.N, s.N));
        }
        else
        {
            recomputeMs = Best(RecomputeRuns, () => product = MatrixChallengeProduct.Compute(challenge));
        }

        MatrixChallengeCommitment commitment = null!;
        var commitMs = Best(RecomputeRuns, () => commitment = MatrixChallengeCommitment.Commit(product, s.N));
        var root = commitment.Root.ToArray();
        var openings = rows.Select(row => commitment.Open(product, row)).ToArray();

        FreivaldsVerdict verdict = null!;
        var verifyMs = Best(VerifyRuns, () => verdict = FreivaldsCheck.VerifyOpenings(challenge, root, rows, openings, checkerSeed, s.K));
        FreivaldsVerdict? full = null;
        double? fullVerifyMs = estimated ? null : Best(VerifyRuns, () => full = FreivaldsCheck.VerifyProduct(challenge, product, root, checkerSeed, s.K));
        FreivaldsVerdict exact = null!;
        var exactRowsMs = Best(estimated ? 1 : VerifyRuns, () => exact = FreivaldsCheck.RecomputeOpenings(challenge, root, rows, openings));

        // A host whose product is wrong in one entry of a row the checker opens, committed as it is.
        product[(rows[0] * s.N) + (s.N / 2)] += 1;
        var wrong = MatrixChallengeCommitment.Commit(product, s.N);
        var wrongVerdict = FreivaldsCheck.VerifyOpenings(challenge, wrong.Root, rows, [.. rows.Select(row => wrong.Open(product, row))], checkerSeed, s.K);

        var failure = new[] { verdict, full, exact }.FirstOrDefault(v => v is { Passed: false })?.Reason;
        return new Result(recomputeMs, estimated, commitMs, verifyMs, fullVerifyMs, exactRowsMs, failure is null,
            wrongVerdict.Failure == FreivaldsFailure.WrongProduct, failure);
    }

    // The fastest of `runs` runs, in milliseconds.
    private static double Best(int runs, Action run)
    {
        var best = double.MaxValue;
        for (var i = 0; i < runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            run();
            best = Math.Min(best, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return best;
    }

    private static void Print(Settings s, Result r)
    {
        var vectors = FreivaldsCheck.VectorsFor(s.K);
        if (s.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                benchmark = "verify",
                n = s.N,
                inner = s.Inner ?? s.N,
                k = s.K,
                vectors,
                rows = s.Rows,
                avx2 = Avx2.IsSupported,
                recomputeMs = Math.Round(r.RecomputeMs, 1),
                recomputeEstimated = r.Estimated,
                verifyMs = Math.Round(r.VerifyMs, 2),
                ratio = Math.Round(r.RecomputeMs / r.VerifyMs, 1),
                fullVerifyMs = r.FullVerifyMs is { } fullMs ? Math.Round(fullMs, 2) : (double?)null,
                fullRatio = r.FullVerifyMs is { } fullDivisor ? Math.Round(r.RecomputeMs / fullDivisor, 1) : (double?)null,
                exactRowsMs = Math.Round(r.ExactRowsMs, 2),
                exactRowsRatio = Math.Round(r.RecomputeMs / r.ExactRowsMs, 1),
                commitMs = Math.Round(r.CommitMs, 2),
                passed = r.Passed,
                wrongCaught = r.WrongCaught,
                failure = r.Failure,
            }));
            return;
        }

        var t = new Table().RoundedBorder()
            .Title($"[bold]gpunet bench verify[/]: n = {s.N:N0}, inner {s.Inner ?? s.N:N0}, k = {s.K} ({vectors} vectors), {s.Rows} rows opened, one CPU core, best of several runs");
        t.AddColumns("", "ms", "recompute ÷");
        t.AddRow(r.Estimated ? "recompute (generate A, B; C = A·B), from two slices" : "recompute (generate A, B; C = A·B)", $"{r.RecomputeMs:N1}", "");
        t.AddRow("[bold]verify[/] (opened rows: proofs + Freivalds)", $"[bold]{r.VerifyMs:N2}[/]", $"[bold]{r.RecomputeMs / r.VerifyMs:N0}×[/]");
        if (r.FullVerifyMs is { } full)
            t.AddRow("whole C: root + Freivalds", $"{full:N2}", $"{r.RecomputeMs / full:N0}×");
        t.AddRow("opened rows recomputed exactly", $"{r.ExactRowsMs:N2}", $"{r.RecomputeMs / r.ExactRowsMs:N0}×");
        t.AddRow("host's commitment (Merkle root of C)", $"{r.CommitMs:N2}", "");
        AnsiConsole.Write(t);
        AnsiConsole.MarkupLine(r.Passed ? "correct product: [green]passed[/] every check" : $"correct product: [red]REFUSED[/] {Markup.Escape(r.Failure ?? "")}");
        AnsiConsole.MarkupLine(r.WrongCaught ? "one wrong entry in an opened row: [green]caught[/]" : "one wrong entry in an opened row: [red]NOT CAUGHT[/]");
    }
}
