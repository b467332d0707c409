using System.Diagnostics;

namespace Gpunet.IntegrationTests.Support;

/// <summary>Polls a condition until it holds or a generous deadline passes (a failure, never a timing claim).</summary>
internal static class Eventually
{
    public static async Task<T> Async<T>(Func<Task<T?>> probe, Func<T, bool> done, string what, double seconds = 30)
    {
        var clock = Stopwatch.StartNew();
        T? last = default;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            last = await probe();
            if (last is not null && done(last))
                return last;
            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException($"timed out after {seconds} s waiting for {what}; last value: {last}");
    }
}
