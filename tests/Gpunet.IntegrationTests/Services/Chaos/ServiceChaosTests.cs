using Xunit.Abstractions;

namespace Gpunet.IntegrationTests.Services.Chaos;

/// <summary>The chaos simulation's treatment (<c>gpunet sim chaos</c>) given to the coordinator's real services, on the
/// fake clock: a seeded run of customers, agents and faults (frozen agents, broken streams, duplicated and late reports,
/// skewed agent clocks, coordinator restarts on the same store), every invariant checked after every step.</summary>
public sealed class ServiceChaosTests(ITestOutputHelper output)
{
    /// <summary>Steps per run: enough for several epochs, failovers and a restart, short enough for the suite.</summary>
    private const int Steps = 60;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task ASeededRunOfTheRealServices_BreaksNoInvariant_AndReplaysTheSame(int seed)
    {
        var (first, actions) = await ServiceChaos.RunAsync(seed, Steps);
        output.WriteLine(actions);
        output.WriteLine(first);
        var (again, _) = await ServiceChaos.RunAsync(seed, Steps);

        // On the fake clock the real services decide the same way each time: the same leases placed, moved and ended,
        // the same usage billed, the same epochs settled with the same totals.
        Assert.Equal(first, again);
    }

    [Fact]
    public async Task Sweep()
    {
        var range = (Environment.GetEnvironmentVariable("CHAOS_SWEEP") ?? "").Split('-');
        if (range.Length != 2)
            return;
        var failures = new List<string>();
        for (var seed = int.Parse(range[0]); seed <= int.Parse(range[1]); seed++)
        {
            try
            {
                await ServiceChaos.RunAsync(seed, int.Parse(Environment.GetEnvironmentVariable("CHAOS_STEPS") ?? "100"));
            }
            catch (Exception e)
            {
                failures.Add(e.Message);
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n\n=====\n", failures));
    }
}
