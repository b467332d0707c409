using Gpunet.Core.Scheduling;

namespace Gpunet.Cli.Bench;

/// <summary>When <c>gpunet bench kills</c> kills its coordinator: one up-time per kill, counted from the moment the
/// (re)started coordinator answers its health check, drawn from a seed so that a run can be repeated.</summary>
/// <remarks>Half the up-times are short (50 ms to 2 s), so that kills land while the restarted coordinator loads its
/// store, reconnects agents and settles the epochs that came due while it was down; the other half run from 2 s to two
/// epochs, so that kills also land in steady running and in the settlements at epoch ends. The seed fixes the
/// up-times only: real processes' timing still varies, so a replay repeats the schedule, not every interleaving.</remarks>
internal static class KillSchedule
{
    private const int ShortMinMs = 50;
    private const int ShortMaxMs = 2_000;

    /// <summary>The up-time before each of <paramref name="kills"/> kills.</summary>
    /// <param name="epoch">The epoch length; the long up-times reach two of them.</param>
    public static IReadOnlyList<TimeSpan> UpTimes(ulong seed, int kills, TimeSpan epoch)
    {
        var random = new SeededRandom(seed);
        var longMaxMs = (int)Math.Clamp(2 * epoch.TotalMilliseconds, ShortMaxMs + 1, int.MaxValue);
        var upTimes = new TimeSpan[kills];
        for (var i = 0; i < kills; i++)
        {
            var ms = random.NextInt(2) == 0
                ? ShortMinMs + random.NextInt(ShortMaxMs - ShortMinMs)
                : ShortMaxMs + random.NextInt(longMaxMs - ShortMaxMs);
            upTimes[i] = TimeSpan.FromMilliseconds(ms);
        }

        return upTimes;
    }
}
