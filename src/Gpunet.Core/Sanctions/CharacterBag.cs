using System.Runtime.Intrinsics;

namespace Gpunet.Core.Sanctions;

/// <summary>How many of each character a normalised name holds, in 32 buckets, for an upper bound on Jaro matches.</summary>
/// <remarks>Jaro only matches equal characters, so two strings have at most as many matching characters as their
/// character multisets share. Buckets merge characters (all digits in one, other letters in four by code), which can
/// only raise the shared count: the bound stays an upper bound. Counts are bytes, exact for names of up to 255
/// characters; longer names are not bounded this way (<see cref="MaxLength"/>).</remarks>
internal static class CharacterBag
{
    /// <summary>Bytes per bag.</summary>
    public const int Size = 32;

    /// <summary>Longest name whose counts fit a byte.</summary>
    public const int MaxLength = 255;

    /// <summary>Writes the bag of <paramref name="normalised"/> (at most <see cref="MaxLength"/> chars) into <paramref name="bag"/>.</summary>
    public static void Fill(ReadOnlySpan<char> normalised, Span<byte> bag)
    {
        bag[..Size].Clear();
        if (normalised.Length > MaxLength)
            return;
        foreach (var c in normalised)
            bag[Bucket(c)]++;
    }

    /// <summary>How many characters the two bags share (the sum of the smaller count in each bucket).</summary>
    public static int Shared(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        var min = Vector256.Min(Vector256.Create(a[..Size]), Vector256.Create(b[..Size]));
        var (lo, hi) = Vector256.Widen(min);
        return Vector256.Sum(lo + hi);
    }

    private static int Bucket(char c) => c switch
    {
        >= 'a' and <= 'z' => c - 'a',
        >= '0' and <= '9' => 26,
        ' ' => 27,
        _ => 28 + (c & 3),
    };
}
