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

        // On the fake clock, with the loops' rounds run one at a time (SteppedClock.SerialRounds), the real services decide
        // the same way each time: the same leases placed, moved and ended, the same usage billed, the same epochs settled
        // with the same totals. (Without serial rounds, loops waking at one instant race, and a placement or an end can
        // fall a step apart between runs.)
        Assert.Equal(first, again);
    }
}
