using Spectre.Console;

namespace Gpunet.Cli.Bench;

/// <summary>A benchmark's progress bar on the terminal, or nothing where it prints JSON.</summary>
internal static class BenchProgress
{
    /// <summary>Runs <paramref name="work"/>, which calls its argument once per step of <paramref name="total"/>.</summary>
    /// <param name="quiet">No bar (the benchmark prints JSON for scripts).</param>
    public static async Task RunAsync(bool quiet, string label, int total, Func<Action, Task> work)
    {
        if (quiet || total == 0)
        {
            await work(() => { });
            return;
        }

        await AnsiConsole.Progress().AutoClear(true).StartAsync(async p =>
        {
            var task = p.AddTask(label, maxValue: total);
            await work(() => task.Increment(1));
        });
    }
}
