using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using System.Text;

namespace Gpunet.Core.Verification;

/// <summary>A capacity challenge: a seed and a shape from which the host and the checker derive the same int8
/// matrices A (n × k) and B (k × n), row-major; the host must compute C = A·B (n × n). Square (k = n) unless an inner
/// size is given.</summary>
/// <remarks>
/// <para>Entries are uniform over all of int8 (−128 … 127). The generator is SplitMix64 (the core's
/// <c>SeededRandom</c>) in counter mode: 64-bit word w of a matrix is SplitMix64's output w of a stream keyed by
/// SHA-256 of the seed and the matrix's name, and its eight bytes, little-endian, are eight consecutive entries.
/// Counter mode is chosen over a SHA-256 stream because every entry can be generated on its own: a GPU kernel
/// derives A and B in place, one thread per word, and the checker generates only the rows of A it opens. SplitMix64
/// is about 8 bytes per nanosecond on one CPU core, SHA-256 about 1 to 2 bytes. Unpredictability comes from the seed
/// (the checker draws 32 bytes from a CSPRNG), not from the generator; what the generator must give is entries that
/// look independent, so that no shortcut computes A·B faster than multiplying.</para>
/// <para>Entry e of A (row i, column c: e = i·k + c) is entry e of A's stream, and likewise for B (row r, column j:
/// e = r·n + j), so a square challenge (k = n) derives exactly the matrices it always did, and a rectangular one
/// extends A's rows and B's columns of the same streams.</para>
/// <para>C is exact in int32: an entry is a sum of k products, the largest |c| is 128·128·k (every product
/// (−128)·(−128) = 16,384), and 16,384·k ≤ 2³¹ − 1 holds exactly for k ≤ 131,071, i.e. an inner dimension below
/// <see cref="ExactInnerDimensionLimit"/> = 131,072 = 2¹⁷. The most negative sum, −128·127·k, is smaller in size. The
/// bound is on k alone: n only sets how many such entries there are. <see cref="MaxSize"/> and
/// <see cref="MaxEntries"/> keep A and B within memory; <see cref="MaxInnerSize"/> is the exact bound.</para>
/// <para>Why rectangular: a product does 2·n²·k operations but C has only n² entries to hash and commit, so a large k
/// (e.g. n = 2,048, k = 65,536: 5.5·10¹⁴ operations, 16 MiB of C) makes a real GPU's time the compute, not the
/// generation of A and B, the copies and the hashing.</para>
/// </remarks>
public sealed class MatrixChallenge
{
    /// <summary>Bytes of seed.</summary>
    public const int SeedLength = 32;

    /// <summary>The default size: 4 MiB per int8 matrix, 16 MiB of int32 product.</summary>
    public const int DefaultSize = 2048;

    /// <summary>Smallest n accepted (tests and toy devnets).</summary>
    public const int MinSize = 16;

    /// <summary>Largest n accepted: A and B take 1 GiB each and C 4 GiB (square), which still fit a 16 GB card and a
    /// checker's memory.</summary>
    public const int MaxSize = 32_768;

    /// <summary>The largest |c| in a true product of inner dimension k is 128·128·k; int32 holds it for k below this.</summary>
    public const int ExactInnerDimensionLimit = 131_072;

    /// <summary>Largest inner dimension k accepted: the last one for which C is exact in int32.</summary>
    public const int MaxInnerSize = ExactInnerDimensionLimit - 1;

    /// <summary>Most entries of A (n·k, and so of B) accepted: 2³⁰, 1 GiB of int8 each, as at the largest square size;
    /// an array index still counts them.</summary>
    public const long MaxEntries = 1L << 30;

    // SplitMix64's increment (Steele, Lea, Flood 2014), the same as in SeededRandom: word w of a stream keyed k is
    // SplitMix64 started at k + w·γ, so any word can be generated without the ones before it.
    private const ulong Gamma = 0x9E3779B97F4A7C15UL;

    private readonly byte[] _seed;

    /// <summary>A challenge of size <paramref name="size"/> and inner size <paramref name="innerSize"/> (null: square,
    /// k = n) from a 32-byte seed.</summary>
    /// <exception cref="ArgumentException">The seed is not 32 bytes, or the shape is refused by
    /// <see cref="ShapeError"/>.</exception>
    public MatrixChallenge(ReadOnlySpan<byte> seed, int size = DefaultSize, int? innerSize = null)
    {
        if (seed.Length != SeedLength)
            throw new ArgumentException($"A matrix challenge seed is {SeedLength} bytes, not {seed.Length}.", nameof(seed));
        var inner = innerSize ?? size;
        if (ShapeError(size, inner) is { } error)
            throw new ArgumentOutOfRangeException(size is < MinSize or > MaxSize ? nameof(size) : nameof(innerSize), error);
        _seed = seed.ToArray();
        Size = size;
        InnerSize = inner;
        KeyA = StreamKey(_seed, "A");
        KeyB = StreamKey(_seed, "B");
    }

    /// <summary>n: A is n × k, B is k × n, C is n × n.</summary>
    public int Size { get; }

    /// <summary>k, the inner dimension: A's row length and B's row count (n for a square challenge).</summary>
    public int InnerSize { get; }

    /// <summary>The seed, 32 bytes.</summary>
    public ReadOnlySpan<byte> Seed => _seed;

    /// <summary>Multiply-accumulate operations in C = A·B (n²·k); the arithmetic operations are twice this.</summary>
    public long MultiplyAccumulates => (long)Size * Size * InnerSize;

    /// <summary>The smallest and largest entry a true product of this shape can have (a sum of k int8 products).</summary>
    public (long Min, long Max) ProductRange => (-128L * 127 * InnerSize, 128L * 128 * InnerSize);

    /// <summary>k of a shape whose inner size may be left 0: 0 means square (k = n), as every task, announcement and
    /// start from before the inner size was; any other value is k as given.</summary>
    /// <remarks>The one place that reads the 0 (the protocol's <c>inner_size</c> fields, <see cref="AnnouncedCheck"/>).
    /// A negative inner size stays negative, so that <see cref="ShapeError"/> refuses it rather than reading it as
    /// square.</remarks>
    public static int EffectiveInnerSize(int size, int innerSize) => innerSize == 0 ? size : innerSize;

    /// <summary>Null when n × k times k × n is a shape this class accepts; otherwise why not, in words.</summary>
    /// <remarks>n from <see cref="MinSize"/> to <see cref="MaxSize"/>, k from <see cref="MinSize"/> to
    /// <see cref="MaxInnerSize"/> (C exact in int32), and n·k at most <see cref="MaxEntries"/>.</remarks>
    public static string? ShapeError(int size, int innerSize) =>
        size is < MinSize or > MaxSize ? $"The matrix size n must be from {MinSize} to {MaxSize}, not {size}."
        : innerSize is < MinSize or > MaxInnerSize ? $"The inner size k must be from {MinSize} to {MaxInnerSize} (int32 is exact below {ExactInnerDimensionLimit}), not {innerSize}."
        : (long)size * innerSize > MaxEntries ? $"n × k = {size} × {innerSize} is more than {MaxEntries} entries per matrix."
        : null;

    private ulong KeyA { get; }

    private ulong KeyB { get; }

    /// <summary>The challenge for GPU <paramref name="gpu"/>'s product number <paramref name="product"/> of this
    /// check: same shape (n and k), seed SHA-256(seed ‖ gpu ‖ product).</summary>
    /// <remarks>Every GPU, and every repetition on one GPU, gets matrices of its own, so a host with fewer GPUs than
    /// it claims cannot compute one product and copy it.</remarks>
    public MatrixChallenge Derive(int gpu, int product)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(gpu);
        ArgumentOutOfRangeException.ThrowIfNegative(product);
        Span<byte> input = stackalloc byte[SeedLength + 8];
        _seed.CopyTo(input);
        BinaryPrimitives.WriteInt32LittleEndian(input[SeedLength..], gpu);
        BinaryPrimitives.WriteInt32LittleEndian(input[(SeedLength + 4)..], product);
        return new MatrixChallenge(SHA256.HashData(input), Size, InnerSize);
    }

    /// <summary>A, n × k, row-major.</summary>
    public sbyte[] GenerateA() => Generate(KeyA);

    /// <summary>B, k × n, row-major.</summary>
    public sbyte[] GenerateB() => Generate(KeyB);

    /// <summary>Row <paramref name="row"/> of A into <paramref name="destination"/> (k entries), without the rows before it.</summary>
    public void GenerateRowOfA(int row, Span<sbyte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Size);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, InnerSize);
        Fill(KeyA, (long)row * InnerSize, destination[..InnerSize]);
    }

    /// <summary>Row <paramref name="row"/> of B into <paramref name="destination"/> (n entries), without the rows before it.</summary>
    public void GenerateRowOfB(int row, Span<sbyte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, InnerSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Size);
        Fill(KeyB, (long)row * Size, destination[..Size]);
    }

    private sbyte[] Generate(ulong key)
    {
        // n·k ≤ MaxEntries = 2³⁰: an int counts it.
        var matrix = new sbyte[Size * InnerSize];
        Fill(key, 0, matrix);
        return matrix;
    }

    // Entries first … first + destination.Length − 1 of the stream keyed `key`: a partial word at each end, whole
    // words between.
    private static void Fill(ulong key, long first, Span<sbyte> destination)
    {
        var bytes = MemoryMarshal.AsBytes(destination);
        var word = first >> 3;
        var skip = (int)(first & 7);
        Span<byte> partial = stackalloc byte[8];
        var written = 0;
        if (skip != 0)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(partial, Word(key, word++));
            var head = Math.Min(8 - skip, bytes.Length);
            partial.Slice(skip, head).CopyTo(bytes);
            written = head;
        }

        if (Vector256.IsHardwareAccelerated && BitConverter.IsLittleEndian)
        {
            // Four words at a time: the same SplitMix64, lane by lane.
            var state = Vector256.Create(key) + (Vector256.Create((ulong)word + 1, (ulong)word + 2, (ulong)word + 3, (ulong)word + 4) * Gamma);
            var step = Vector256.Create(unchecked(4 * Gamma));
            for (; written + 32 <= bytes.Length; written += 32, word += 4)
            {
                Mix(state).StoreUnsafe(ref Unsafe.As<byte, ulong>(ref bytes[written]));
                state += step;
            }
        }

        for (; written + 8 <= bytes.Length; written += 8)
            BinaryPrimitives.WriteUInt64LittleEndian(bytes[written..], Word(key, word++));
        if (written < bytes.Length)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(partial, Word(key, word));
            partial[..(bytes.Length - written)].CopyTo(bytes[written..]);
        }
    }

    // SplitMix64 output `index` of the stream keyed `key`, exactly as SeededRandom(key) would give it as its
    // (index + 1)-th value.
    private static ulong Word(ulong key, long index)
    {
        var random = new Scheduling.SeededRandom(unchecked(key + ((ulong)index * Gamma)));
        return random.NextUInt64();
    }

    // SplitMix64's output function (SeededRandom.NextUInt64 after its increment), on four states at once.
    private static Vector256<ulong> Mix(Vector256<ulong> z)
    {
        z = (z ^ Vector256.ShiftRightLogical(z, 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ Vector256.ShiftRightLogical(z, 27)) * 0x94D049BB133111EBUL;
        return z ^ Vector256.ShiftRightLogical(z, 31);
    }

    private static ulong StreamKey(byte[] seed, string matrix)
    {
        var input = new byte[seed.Length + 17];
        Encoding.ASCII.GetBytes("gpunet-matrix-v1/").CopyTo(input, 0);
        seed.CopyTo(input, 17);
        var name = Encoding.ASCII.GetBytes(matrix);
        return BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData([.. input, .. name]));
    }
}
