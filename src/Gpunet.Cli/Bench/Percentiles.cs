namespace Gpunet.Cli.Bench;

/// <summary>Latency percentiles of the benchmarks, by nearest rank.</summary>
internal static class Percentiles
{
    /// <summary>The <paramref name="q"/> quantile of <paramref name="values"/>; 0 for none.</summary>
    public static double Of(IEnumerable<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
