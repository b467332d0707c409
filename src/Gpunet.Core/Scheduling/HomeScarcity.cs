namespace Gpunet.Core.Scheduling;

/// <summary>What it costs, per task kind, to take away one of the nodes where the kind can still run (a "home"):
/// the kind's GPU demand times the chance that more tasks of the kind are still to come than homes are left.</summary>
/// <remarks>Expected-fragmentation weighs a kind by its popularity, so a rare large kind (8 GPUs and 120 cores, which
/// only a few machines can take) is spent cheaply until none of its homes is left and the next one fails; best-fit
/// keeps such homes by accident, by filling used nodes first. Here the tasks still to come are those that fill the
/// free GPUs at the target's mean GPU demand per task; a kind's arrivals among them are Poisson with mean weight × that
/// number, and the cost of a home is the kind's GPU thousandths × P(arrivals ≥ homes left): nothing while homes are
/// plenty, the whole demand when the last ones go. Pure arithmetic, recomputed every decision.</remarks>
internal static class HomeScarcity
{
    /// <summary>Cost in GPU thousandths of losing one home of a kind.</summary>
    /// <param name="weight">The kind's share of all tasks (0 to 1).</param>
    /// <param name="gpuMilli">GPU thousandths one task of the kind takes (count × share).</param>
    /// <param name="homes">Nodes where the kind can run now.</param>
    /// <param name="tasksToCome">Tasks expected until the free GPUs are taken.</param>
    public static double Cost(double weight, long gpuMilli, int homes, double tasksToCome)
    {
        var mean = weight * tasksToCome;
        if (mean <= 0 || homes > mean + (10 * Math.Sqrt(mean)) + 10)
            return 0;
        return gpuMilli * AtLeast(homes, mean);
    }

    /// <summary>P(X ≥ k) for X Poisson with the given mean.</summary>
    internal static double AtLeast(int k, double mean)
    {
        if (k <= 0)
            return 1;
        // e^-mean underflows past ~700; a mean that large is far above any count of homes that gets here.
        if (mean > 700)
            return 1;
        double term = Math.Exp(-mean), below = 0;
        for (var i = 0; i < k; i++)
        {
            below += term;
            term *= mean / (i + 1);
        }

        return Math.Clamp(1 - below, 0, 1);
    }
}
