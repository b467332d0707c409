using Gpunet.Core.Scheduling;

namespace Gpunet.Simulation;

/// <summary>The run's one source of randomness, seeded: the same seed makes the same choices in the same order.</summary>
internal sealed class SimRandom(ulong seed)
{
    private SeededRandom _random = new(seed);

    /// <summary>The next 64 random bits (a seed for a core rule that draws its own).</summary>
    public ulong Bits() => _random.NextUInt64();

    /// <summary>A number in [0, 1).</summary>
    public double Next() => (_random.NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => p > 0 && Next() < p;

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public long Between(long min, long max) => min + (long)(Next() * (max - min + 1));

    /// <summary>An integer in [0, <paramref name="exclusiveMax"/>).</summary>
    public int Index(int exclusiveMax) => _random.NextInt(exclusiveMax);

    /// <summary>A time drawn from an exponential distribution with mean <paramref name="meanMs"/> (memoryless arrivals).</summary>
    public long Exponential(long meanMs) => Math.Max(1, (long)(-Math.Log(1 - Next()) * meanMs));
}
