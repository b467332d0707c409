using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using System.Text;

namespace Gpunet.Core.Verification;

/// <summary>A capacity challenge: a seed and a size from which the host and the checker derive the same int8
/// matrices A and B (n × n, row-major); the host must compute C = A·B.</summary>
/// <remarks>
/// <para>Entries are uniform over all of int8 (−128 … 127). The generator is SplitMix64 (the core's
/// <c>SeededRandom</c>) in counter mode: 64-bit word w of a matrix is SplitMix64's output w of a stream keyed by
/// SHA-256 of the seed and the matrix's name, and its eight bytes, little-endian, are eight consecutive entries.
/// Counter mode is chosen over a SHA-256 stream because every entry can be generated on its own: a GPU kernel
/// derives A and B in place, one thread per word, and the checker generates only the rows of A it opens. SplitMix64
/// is about 8 bytes per nanosecond on one CPU core, SHA-256 about 1 to 2 bytes. Unpredictability comes from the seed
/// (the checker draws 32 bytes from a CSPRNG), not from the generator; what the generator must give is entries that
/// look independent, so that no shortcut computes A·B faster than multiplying.</para>
/// <para>C is exact in int32: the largest |c| is 128·128·n (every product (−128)·(−128) = 16,384), and
/// 16,384·n ≤ 2³¹ − 1 holds exactly for n ≤ 131,071, i.e. inner dimension below 131,072 = 2¹⁷. The most negative
/// sum, −128·127·n, is smaller in size. <see cref="MaxSize"/> stays well below that for memory.</para>
/// </remarks>
public sealed class MatrixChallenge
{
    /// <summary>Bytes of seed.</summary>
    public const int SeedLength = 32;

    /// <summary>The default size: 4 MiB per int8 matrix, 16 MiB of int32 product.</summary>
    public const int DefaultSize = 2048;

    /// <summary>Smallest n accepted (tests and toy devnets).</summary>
    public const int MinSize = 16;

    /// <summary>Largest n accepted: A and B take 1 GiB each and C 4 GiB, which still fit a 16 GB card and a checker's
    /// memory; int32 would stay exact up to 131,071.</summary>
    public const int MaxSize = 32_768;

    /// <summary>The largest |c| in a true product of size n is 128·128·n; int32 holds it for n below this.</summary>
    public const int ExactInnerDimensionLimit = 131_072;

    // SplitMix64's increment (Steele, Lea, Flood 2014), the same as in SeededRandom: word w of a stream keyed k is
    // SplitMix64 started at k + w·γ, so any word can be generated without the ones before it.
    private const ulong Gamma = 0x9E3779B97F4A7C15UL;

    private readonly byte[] _seed;

    /// <summary>A challenge of size <paramref name="size"/> from a 32-byte seed.</summary>
    /// <exception cref="ArgumentException">The seed is not 32 bytes, or the size is outside
    /// <see cref="MinSize"/> … <see cref="MaxSize"/>.</exception>
    public MatrixChallenge(ReadOnlySpan<byte> seed, int size = DefaultSize)
    {
        if (seed.Length != SeedLength)
            throw new ArgumentException($"A matrix challenge seed is {SeedLength} bytes, not {seed.Length}.", nameof(seed));
        if (size is < MinSize or > MaxSize)
            throw new ArgumentOutOfRangeException(nameof(size), size, $"The matrix size n must be from {MinSize} to {MaxSize}.");
        _seed = seed.ToArray();
        Size = size;
        KeyA = StreamKey(_seed, "A");
        KeyB = StreamKey(_seed, "B");
    }

    /// <summary>n: A, B and C are n × n.</summary>
    public int Size { get; }

    /// <summary>The seed, 32 bytes.</summary>
    public ReadOnlySpan<byte> Seed => _seed;

    /// <summary>Multiply-accumulate operations in C = A·B (n³); the arithmetic operations are twice this.</summary>
    public long MultiplyAccumulates => (long)Size * Size * Size;

    /// <summary>The smallest and largest entry a true product of this size can have.</summary>
    public (long Min, long Max) ProductRange => (-128L * 127 * Size, 128L * 128 * Size);

    private ulong KeyA { get; }

    private ulong KeyB { get; }

    /// <summary>The challenge for GPU <paramref name="gpu"/>'s product number <paramref name="product"/> of this
    /// check: same size, seed SHA-256(seed ‖ gpu ‖ product).</summary>
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
        return new MatrixChallenge(SHA256.HashData(input), Size);
    }

    /// <summary>A, n × n, row-major.</summary>
    public sbyte[] GenerateA() => Generate(KeyA);

    /// <summary>B, n × n, row-major.</summary>
    public sbyte[] GenerateB() => Generate(KeyB);

    /// <summary>Row <paramref name="row"/> of A into <paramref name="destination"/> (n entries), without the rows before it.</summary>
    public void GenerateRowOfA(int row, Span<sbyte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Size);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Size);
        Fill(KeyA, (long)row * Size, destination[..Size]);
    }

    /// <summary>Row <paramref name="row"/> of B into <paramref name="destination"/> (n entries), without the rows before it.</summary>
    public void GenerateRowOfB(int row, Span<sbyte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Size);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Size);
        Fill(KeyB, (long)row * Size, destination[..Size]);
    }

    private sbyte[] Generate(ulong key)
    {
        var matrix = new sbyte[Size * Size];
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
