using Gpunet.Cli.Bench;

namespace Gpunet.IntegrationTests.Cli;

/// <summary>The paced load of <c>gpunet bench heartbeats</c>: each agent keeps its own phase, whatever happens to the
/// clock that drives them. The pacer here runs on a clock of 1,000 ticks per second moved by hand.</summary>
public sealed class HeartbeatPacerTests
{
    // Four agents, one heartbeat each every 100 ms: agent i is due at i·25 ms, then every 100 ms.
    private static HeartbeatPacer Pacer() => new(4, TimeSpan.FromMilliseconds(100), ticksPerSecond: 1_000, run: false);

    private static int[] Owed(HeartbeatPacer pacer) => [.. Enumerable.Range(0, 4).Select(pacer.Owed)];

    [Fact]
    public void EachAgentIsWokenAtItsOwnPhase()
    {
        using var pacer = Pacer();

        pacer.ReleaseDue(0);
        Assert.Equal([1, 0, 0, 0], Owed(pacer));
        pacer.ReleaseDue(60);
        Assert.Equal([1, 1, 1, 0], Owed(pacer));
        pacer.ReleaseDue(99);
        Assert.Equal([1, 1, 1, 1], Owed(pacer));
        pacer.ReleaseDue(100);
        Assert.Equal([2, 1, 1, 1], Owed(pacer));
    }

    [Fact]
    public void AfterAStall_EveryAgentIsOwedWhatItMissed_AndNoPhaseMergesWithAnother()
    {
        using var pacer = Pacer();
        pacer.ReleaseDue(0);

        // Nothing drove the pacer for a second (a long pause): every agent is owed every heartbeat it missed.
        pacer.ReleaseDue(1_000);
        Assert.Equal([11, 10, 10, 10], Owed(pacer));

        // Then each is due at its own phase again, not all at once from the moment the pause ended.
        pacer.ReleaseDue(1_024);
        Assert.Equal([11, 10, 10, 10], Owed(pacer));
        pacer.ReleaseDue(1_025);
        Assert.Equal([11, 11, 10, 10], Owed(pacer));
    }

    [Fact]
    public async Task AnAgentWaitingForItsTurn_IsWokenByItsRelease_AndByTheEnd()
    {
        var pacer = Pacer();
        pacer.ReleaseDue(0);
        await pacer.WaitAsync(0);

        var waiting = pacer.WaitAsync(1).AsTask();
        Assert.False(waiting.IsCompleted);
        pacer.ReleaseDue(24);
        Assert.False(waiting.IsCompleted);
        pacer.ReleaseDue(25);
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        // Nothing more is due; ending the pacer wakes the agent still waiting, so that it sees the run is over.
        var waitingForever = pacer.WaitAsync(2).AsTask();
        Assert.False(waitingForever.IsCompleted);
        pacer.Dispose();
        await waitingForever.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
