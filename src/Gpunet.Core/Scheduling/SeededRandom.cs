namespace Gpunet.Core.Scheduling;

/// <summary>A small deterministic pseudo-random source (SplitMix64), seeded by the caller.</summary>
/// <remarks>A mutable struct: keep it in a field and call it through that field, never through a copy.
/// Not for cryptography.</remarks>
public struct SeededRandom(ulong seed)
{
    private ulong _state = seed;

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        // SplitMix64 (Steele, Lea, Flood 2014): constants from the reference implementation.
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniformly random integer in [0, <paramref name="exclusiveMax"/>).</summary>
    public int NextInt(int exclusiveMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exclusiveMax);
        // Lemire's multiply-shift with rejection: unbiased.
        var bound = (ulong)exclusiveMax;
        var threshold = (0UL - bound) % bound;
        while (true)
        {
            var r = NextUInt64();
            var high = Math.BigMul(r, bound, out var low);
            if (low >= threshold)
                return (int)high;
        }
    }
}
