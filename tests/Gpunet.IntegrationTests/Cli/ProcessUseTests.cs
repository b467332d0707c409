using Gpunet.Cli.Bench;

namespace Gpunet.IntegrationTests.Cli;

/// <summary>The process figures of the benchmarks' JSON (<c>registrationProcess</c>, <c>heartbeatProcess</c>).</summary>
public sealed class ProcessUseTests
{
    [Fact]
    public async Task LongestPause_IsAsLongAsAPauseTheRuntimeReports()
    {
        var use = ProcessUse.Start();
        // A few million live objects make a compacting full collection take tens of milliseconds.
        var live = Enumerable.Range(0, 3_000_000).Select(i => new object()).ToArray();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var pause = GC.GetGCMemoryInfo(GCKind.FullBlocking).PauseDurations[0].TotalMilliseconds;
        GC.KeepAlive(live);

        // The runtime's events reach a listener in batches, up to about a second later.
        for (var i = 0; i < 200 && use.LongestPauseMs < pause / 2; i++)
            await Task.Delay(50);
        var result = use.Stop();

        Assert.True(pause > 5, $"the collection paused only {pause} ms");
        Assert.True(result.LongestPauseMs >= pause / 2, $"longest {result.LongestPauseMs} ms; the runtime says {pause} ms");
    }
}
