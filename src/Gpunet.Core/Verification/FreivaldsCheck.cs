using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Gpunet.Core.Scheduling;

namespace Gpunet.Core.Verification;

/// <summary>The checker's verification of a capacity answer by Freivalds' algorithm, in exact integer arithmetic.</summary>
/// <remarks>
/// <para><b>The bound.</b> The checker draws vectors r with entries uniform and independent over
/// S = {0, …, 2¹⁵ − 1} and checks C·r = A·(B·r). If C ≠ A·B, some row d of D = C − A·B has an entry d_j ≠ 0; for any
/// values of the other entries of r, d·r = 0 holds for at most one value of r_j, so a wrong row passes one vector
/// with probability at most 1/|S| = 2⁻¹⁵ (Freivalds 1977; Schwartz–Zippel), and v independent vectors with at most
/// 2⁻¹⁵ᵛ. For a bound 2⁻ᵏ the checker uses v = ⌈k / 15⌉ vectors: k = 20 takes 2 (2⁻³⁰). Vectors over {0, 1}
/// would need k of them for the same bound, each an O(n²) pass, and would make verifying only n/(3k) ≈ 34 times
/// cheaper than multiplying at n = 2048 (the target is 100).</para>
/// <para><b>Exact.</b> No tolerance, no modulus. For A n × k and B k × n: entries of C outside what an int8 product
/// can hold (−16,256·k … 16,384·k) are refused first. Then |(B·r)_t| ≤ n·2⁷·2¹⁵ = 2²²·n, |A[i]·(B·r)| ≤ k·2⁷·2²²·n =
/// 2²⁹·n·k, and |C[i]·r| ≤ n·2¹⁴·k·2¹⁵ = 2²⁹·n·k; with n·k ≤ <see cref="MatrixChallenge.MaxEntries"/> = 2³⁰ every
/// sum is below 2⁵⁹, so it fits a long (2⁶³) with room to spare. 15 bits also let B·r run on AVX2's
/// <c>vpmaddwd</c> (int16 × int16) with int32 partial sums.</para>
/// <para><b>What the checker uses.</b> <see cref="VerifyOpenings"/>: the host commits to C's rows
/// (<see cref="MatrixChallengeCommitment"/>), then opens s rows the checker picks (<see cref="PickRows"/>); the
/// checker checks their Merkle proofs and C[i]·r = A[i]·(B·r) for each, at O(k·n) for B·r (k-long) plus O(s·(k + n))
/// per vector against the host's O(n²·k), and never needs the whole of C (16 MiB at n = 2048, per GPU, whatever k
/// is): verifying stays about n / vectors times cheaper than multiplying for any k. It catches any wrong opened row with probability
/// ≥ 1 − 2⁻ᵏ, and a product in which a share q of the rows is wrong with probability ≥ 1 − (1 − q)ˢ: a card 30 %
/// slower that skips the 23 % of rows it has no time for is caught at s = 32 with probability 1 − 0.77³² ≈ 99.98 %, one 10 % slower (q ≈ 0.028) at the default s = 256 with
/// 1 − 0.972²⁵⁶ ≈ 99.93 %.
/// <see cref="VerifyProduct"/> checks a whole returned C (any wrong entry anywhere, probability ≥ 1 − 2⁻ᵏ) at
/// O(n·(n + k)) per vector plus hashing all of C; <see cref="RecomputeOpenings"/> recomputes opened rows exactly at
/// O(n·k) each, the oracle for the others. (Here k in 2⁻ᵏ is the security bits; the inner size is
/// <see cref="MatrixChallenge.InnerSize"/>.)</para>
/// <para>The checker's seed must be fresh and secret: r is never sent, and the rows are sent only after the
/// root.</para>
/// </remarks>
public static class FreivaldsCheck
{
    /// <summary>k: a wrong product passes with probability at most 2^-k.</summary>
    public const int DefaultSecurityBits = 20;

    /// <summary>The largest k accepted.</summary>
    public const int MaxSecurityBits = 120;

    /// <summary>Each vector's entries are uniform over 0 … 2^15 − 1, so one vector alone lets a wrong row pass with
    /// probability at most 2^-15.</summary>
    public const int BitsPerVector = 15;

    /// <summary>Rows the checker opens per GPU by default: 256.</summary>
    /// <remarks>A card a share q slower than its band allows that skips the rows it has no time for is caught with
    /// probability 1 − (1 − q)ˢ; at 0.9 of the claimed speed q ≈ 1 − 1.08 × 0.9 = 0.028, and 99.9 % needs
    /// s ≥ ln 0.001 / ln 0.972 ≈ 243. 256 rows are about 2 MiB per GPU at n = 2,048 (8 KiB a row and its path).</remarks>
    public const int DefaultOpenedRows = 256;

    // The vectors' stream is apart from the rows' stream, though both come from the checker's one seed.
    private const ulong VectorStream = 0x6672_6569_7661_6C64UL;

    // B·r's int32 partial sums are moved to a long every this many 32-entry steps: each step adds < 2²⁴ to a lane.
    private const int StepsPerFlush = 64;

    /// <summary>Random vectors needed for a bound of 2^-k: ⌈k / 15⌉.</summary>
    public static int VectorsFor(int securityBits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(securityBits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(securityBits, MaxSecurityBits);
        return (securityBits + BitsPerVector - 1) / BitsPerVector;
    }

    /// <summary>The rows the checker asks the host to open: <paramref name="count"/> distinct rows of 0 … n − 1,
    /// uniform, ascending.</summary>
    public static int[] PickRows(int size, int count, ulong checkerSeed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, size);
        var random = new SeededRandom(checkerSeed);
        // Floyd's algorithm: a uniform subset of `count` rows in `count` draws.
        var rows = new HashSet<int>();
        for (var j = size - count; j < size; j++)
        {
            var t = random.NextInt(j + 1);
            rows.Add(rows.Contains(t) ? j : t);
        }

        return [.. rows.Order()];
    }

    /// <summary>Checks a whole returned product against the challenge and the host's root.</summary>
    public static FreivaldsVerdict VerifyProduct(MatrixChallenge challenge, ReadOnlySpan<int> product, ReadOnlySpan<byte> root,
        ulong checkerSeed, int securityBits = DefaultSecurityBits)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        var vectors = VectorsFor(securityBits);
        var n = challenge.Size;
        if (product.Length != n * n || root.Length != MatrixChallengeCommitment.HashLength)
            return FreivaldsVerdict.Fail(FreivaldsFailure.WrongSize, null, $"The product has {product.Length} entries, not {n}×{n}, or the root is not 32 bytes.");
        for (var i = 0; i < n; i++)
        {
            if (OutOfRange(challenge, product.Slice(i * n, n)) is { } bad)
                return OutOfRangeVerdict(challenge, i, bad);
        }

        if (!MatrixChallengeCommitment.RootOf(product, n).AsSpan().SequenceEqual(root))
            return FreivaldsVerdict.Fail(FreivaldsFailure.NotCommitted, null, "The product returned does not hash to the root the host committed.");

        var (r, br) = Products(challenge, checkerSeed, vectors);
        var rowOfA = new sbyte[challenge.InnerSize];
        for (var i = 0; i < n; i++)
        {
            challenge.GenerateRowOfA(i, rowOfA);
            for (var v = 0; v < vectors; v++)
            {
                if (RowTimes(rowOfA, br[v]) != RowTimes(product.Slice(i * n, n), r[v]))
                    return WrongRow(i, vectors);
            }
        }

        return FreivaldsVerdict.Pass(string.Create(CultureInfo.InvariantCulture,
            $"C = A·B (Freivalds, {vectors} vectors of 15-bit entries: a wrong product passes with probability ≤ 2^-{vectors * BitsPerVector})."));
    }

    /// <summary>Checks the rows the host opened against its root and the challenge: the checker's usual check.</summary>
    /// <param name="askedRows">The rows the checker asked for (<see cref="PickRows"/>), in the order asked.</param>
    /// <param name="openings">The host's answer: one opening per asked row, in the same order.</param>
    public static FreivaldsVerdict VerifyOpenings(MatrixChallenge challenge, ReadOnlySpan<byte> root, IReadOnlyList<int> askedRows,
        IReadOnlyList<MatrixChallengeOpening> openings, ulong checkerSeed, int securityBits = DefaultSecurityBits)
    {
        var vectors = VectorsFor(securityBits);
        if (CheckOpenings(challenge, root, askedRows, openings) is { } refused)
            return refused;

        var (r, br) = Products(challenge, checkerSeed, vectors);
        var rowOfA = new sbyte[challenge.InnerSize];
        foreach (var opening in openings)
        {
            challenge.GenerateRowOfA(opening.Row, rowOfA);
            for (var v = 0; v < vectors; v++)
            {
                if (RowTimes(rowOfA, br[v]) != RowTimes(opening.Values, r[v]))
                    return WrongRow(opening.Row, vectors);
            }
        }

        return FreivaldsVerdict.Pass(string.Create(CultureInfo.InvariantCulture,
            $"{openings.Count} opened rows are committed and equal A·B (Freivalds, {vectors} vectors: a wrong row passes with probability ≤ 2^-{vectors * BitsPerVector})."));
    }

    /// <summary>Checks opened rows by recomputing them exactly (<see cref="MatrixChallengeProduct.ComputeRows"/>, O(n·k)
    /// per row): slower than <see cref="VerifyOpenings"/>, certain, and its oracle.</summary>
    public static FreivaldsVerdict RecomputeOpenings(MatrixChallenge challenge, ReadOnlySpan<byte> root, IReadOnlyList<int> askedRows,
        IReadOnlyList<MatrixChallengeOpening> openings)
    {
        if (CheckOpenings(challenge, root, askedRows, openings) is { } refused)
            return refused;

        var n = challenge.Size;
        var expected = MatrixChallengeProduct.ComputeRows(challenge, askedRows);
        for (var o = 0; o < openings.Count; o++)
        {
            if (!expected.AsSpan(o * n, n).SequenceEqual(openings[o].Values))
                return WrongRow(openings[o].Row, 0);
        }

        return FreivaldsVerdict.Pass(string.Create(CultureInfo.InvariantCulture, $"{openings.Count} opened rows are committed and equal A·B (recomputed exactly)."));
    }

    // Everything about the openings that does not need A or B; null when they may be checked for the product.
    private static FreivaldsVerdict? CheckOpenings(MatrixChallenge challenge, ReadOnlySpan<byte> root, IReadOnlyList<int> askedRows,
        IReadOnlyList<MatrixChallengeOpening> openings)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        ArgumentNullException.ThrowIfNull(askedRows);
        ArgumentNullException.ThrowIfNull(openings);
        var n = challenge.Size;
        if (askedRows.Count == 0 || askedRows.Any(r => r < 0 || r >= n) || askedRows.Distinct().Count() != askedRows.Count)
            throw new ArgumentException($"The rows asked must be distinct rows of 0 … {n - 1}, at least one.", nameof(askedRows));
        if (root.Length != MatrixChallengeCommitment.HashLength)
            return FreivaldsVerdict.Fail(FreivaldsFailure.WrongSize, null, $"The root is {root.Length} bytes, not 32.");
        if (openings.Count != askedRows.Count)
            return FreivaldsVerdict.Fail(FreivaldsFailure.WrongRows, null, $"{openings.Count} rows were opened, {askedRows.Count} were asked for.");
        for (var o = 0; o < openings.Count; o++)
        {
            var opening = openings[o];
            if (opening is null || opening.Row != askedRows[o])
                return FreivaldsVerdict.Fail(FreivaldsFailure.WrongRows, askedRows[o], $"Row {askedRows[o]} was asked for and not opened in its place.");
            if (opening.Values is null || opening.Values.Length != n)
                return FreivaldsVerdict.Fail(FreivaldsFailure.WrongSize, opening.Row, $"Row {opening.Row} has {opening.Values?.Length ?? 0} entries, not {n}.");
            if (OutOfRange(challenge, opening.Values) is { } bad)
                return OutOfRangeVerdict(challenge, opening.Row, bad);
            if (!MatrixChallengeCommitment.Verify(root, n, opening))
                return FreivaldsVerdict.Fail(FreivaldsFailure.NotCommitted, opening.Row, $"Row {opening.Row} does not match the root the host committed.");
        }

        return null;
    }

    private static int? OutOfRange(MatrixChallenge challenge, ReadOnlySpan<int> row)
    {
        var (min, max) = challenge.ProductRange;
        foreach (var value in row)
        {
            if (value < min || value > max)
                return value;
        }

        return null;
    }

    private static FreivaldsVerdict OutOfRangeVerdict(MatrixChallenge challenge, int row, int value) =>
        FreivaldsVerdict.Fail(FreivaldsFailure.EntryOutOfRange, row, string.Create(CultureInfo.InvariantCulture,
            $"Row {row} holds {value}, outside {challenge.ProductRange.Min} … {challenge.ProductRange.Max}, which no int8 product of inner size {challenge.InnerSize} can."));

    private static FreivaldsVerdict WrongRow(int row, int vectors) =>
        FreivaldsVerdict.Fail(FreivaldsFailure.WrongProduct, row, vectors == 0
            ? string.Create(CultureInfo.InvariantCulture, $"Row {row} of C is not A·B (recomputed exactly).")
            : string.Create(CultureInfo.InvariantCulture, $"Row {row} of C is not A·B (Freivalds: C·r ≠ A·(B·r))."));

    private static int Padded(int n) => (n + 31) & ~31;

    // The next vector r: n entries uniform over 0 … 2¹⁵ − 1 (the top 15 bits of SplitMix64), padding left zero.
    private static void Draw(ref SeededRandom random, short[] r, int n)
    {
        for (var j = 0; j < n; j++)
            r[j] = (short)(random.NextUInt64() >> (64 - BitsPerVector));
    }

    // x · y exactly: an int8 row of A (k) and B·r (k), or an int32 row of C (n) and a vector of 15-bit entries (n).
    private static long RowTimes(ReadOnlySpan<sbyte> row, ReadOnlySpan<long> vector)
    {
        long sum = 0;
        for (var j = 0; j < row.Length; j++)
            sum += row[j] * vector[j];
        return sum;
    }

    private static long RowTimes(ReadOnlySpan<int> row, ReadOnlySpan<short> vector)
    {
        long sum = 0;
        for (var j = 0; j < row.Length; j++)
            sum += (long)row[j] * vector[j];
        return sum;
    }

    // The checker's vectors r (n-long, drawn in order from its seed) and B·r (k-long) for each, exactly. B is
    // generated a row (n entries) at a time and used while it is in the L1 cache, never stored whole.
    private static (short[][] R, long[][] BR) Products(MatrixChallenge challenge, ulong checkerSeed, int vectors)
    {
        var n = challenge.Size;
        var k = challenge.InnerSize;
        var random = new SeededRandom(checkerSeed ^ VectorStream);
        var r = new short[vectors][];
        var br = new long[vectors][];
        for (var v = 0; v < vectors; v++)
        {
            r[v] = new short[Padded(n)];
            br[v] = new long[k];
            Draw(ref random, r[v], n);
        }

        var rowOfB = new sbyte[Padded(n)];
        for (var i = 0; i < k; i++)
        {
            challenge.GenerateRowOfB(i, rowOfB);
            for (var v = 0; v < vectors; v++)
                br[v][i] = Dot(rowOfB, r[v]);
        }

        return (r, br);
    }

    // row · r exactly, both padded with zeros to a multiple of 32. With AVX2, 32 entries per step: int8 widened to
    // int16, vpmaddwd into int32 lanes that are moved to a long before they could overflow.
    private static long Dot(sbyte[] row, short[] r)
    {
        long sum = 0;
        if (!Avx2.IsSupported)
        {
            for (var k = 0; k < row.Length; k++)
                sum += row[k] * (long)r[k];
            return sum;
        }

        ref var rowRef = ref MemoryMarshal.GetArrayDataReference(row);
        ref var rRef = ref MemoryMarshal.GetArrayDataReference(r);
        var k0 = 0;
        while (k0 < row.Length)
        {
            var lanes = Vector256<int>.Zero;
            var end = Math.Min(row.Length, k0 + (32 * StepsPerFlush));
            for (; k0 < end; k0 += 32)
            {
                var (low, high) = Vector256.Widen(Vector256.LoadUnsafe(ref rowRef, (nuint)k0));
                lanes += Avx2.MultiplyAddAdjacent(low, Vector256.LoadUnsafe(ref rRef, (nuint)k0));
                lanes += Avx2.MultiplyAddAdjacent(high, Vector256.LoadUnsafe(ref rRef, (nuint)(k0 + 16)));
            }

            sum += Vector256.Sum(Vector256.WidenLower(lanes)) + Vector256.Sum(Vector256.WidenUpper(lanes));
        }

        return sum;
    }
}
