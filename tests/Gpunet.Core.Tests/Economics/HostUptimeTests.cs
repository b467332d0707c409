using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Economics;
using Gpunet.Core.Hosts;

namespace Gpunet.Core.Tests.Economics;

public sealed class HostUptimeTests
{
    private static readonly DateTimeOffset Start = Economy.Start();
    private static readonly DateTimeOffset End = Economy.End();

    private static DateTimeOffset At(int seconds) => Start.AddSeconds(seconds);

    [Fact]
    public void ReadySeconds_ReadyBeforeTheEpoch_CountsFromItsStart()
    {
        var ready = HostUptime.ReadySeconds([("a", HostState.Ready, Start.AddDays(-3))], Start, End);

        Assert.Equal(86_400, ready["a"]);
    }

    [Fact]
    public void ReadySeconds_OfflineForAnHour_ThatHourIsNotCounted()
    {
        var ready = HostUptime.ReadySeconds(
            [("a", HostState.Ready, At(0)), ("a", HostState.Offline, At(3600)), ("a", HostState.Ready, At(7200)), ("b", HostState.Ready, At(86_000))],
            Start, End);

        Assert.Equal(86_400 - 3600, ready["a"]);
        Assert.Equal(400, ready["b"]);
    }

    [Fact]
    public void ReadySeconds_ChangesAfterTheEnd_Ignored()
    {
        var ready = HostUptime.ReadySeconds([("a", HostState.Ready, At(86_000)), ("a", HostState.Offline, End.AddSeconds(10))], Start, End);

        Assert.Equal(400, ready["a"]);
    }

    [Fact]
    public void ReadySeconds_NeverReady_LeftOut() =>
        Assert.Empty(HostUptime.ReadySeconds([("a", HostState.Pending, At(5)), ("a", HostState.Suspect, At(50))], Start, End));

    // A host is Ready at most the whole epoch, whatever its changes.
    [Property(MaxTest = 300)]
    public Property ReadySeconds_AnyChanges_BetweenZeroAndTheEpoch() =>
        Prop.ForAll(Gen.ListOf(Gen.Zip(Gen.Choose(-100_000, 200_000), Gen.Elements(Enum.GetValues<HostState>()))).ToArbitrary(), changes =>
        {
            var ordered = changes.OrderBy(c => c.Item1).Select(c => ("a", c.Item2, At(c.Item1))).ToList();
            var seconds = HostUptime.ReadySeconds(ordered, Start, End).GetValueOrDefault("a");
            return seconds is >= 0 and <= 86_400;
        });

    [Fact]
    public void ReadyStretches_OfflineForAnHour_TwoStretchesAroundIt()
    {
        var ready = HostUptime.ReadyStretches(
            [("a", HostState.Ready, Start.AddDays(-1)), ("a", HostState.Offline, At(3600)), ("a", HostState.Ready, At(7200))], Start, End);

        Assert.Equal([new UptimeStretch(Start, At(3600)), new UptimeStretch(At(7200), End)], ready["a"]);
    }

    // The stretches are the uptime: their whole seconds sum to ReadySeconds, in order, never overlapping.
    [Property(MaxTest = 300)]
    public Property ReadyStretches_AnyChanges_SumToReadySeconds() =>
        Prop.ForAll(Gen.ListOf(Gen.Zip(Gen.Choose(-100_000, 200_000), Gen.Elements(Enum.GetValues<HostState>()))).ToArbitrary(), changes =>
        {
            var ordered = changes.OrderBy(c => c.Item1).Select(c => ("a", c.Item2, At(c.Item1))).ToList();
            var stretches = HostUptime.ReadyStretches(ordered, Start, End).GetValueOrDefault("a") ?? [];
            var inOrder = stretches.Zip(stretches.Skip(1)).All(p => p.First.Until <= p.Second.From);
            return inOrder && stretches.Sum(s => s.WholeSeconds) == HostUptime.ReadySeconds(ordered, Start, End).GetValueOrDefault("a");
        });
}
