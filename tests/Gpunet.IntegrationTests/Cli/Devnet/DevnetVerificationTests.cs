using Gpunet.Cli.Commands;
using Gpunet.Coordinator.Verification;
using Gpunet.Core.Verification;

namespace Gpunet.IntegrationTests.Cli.Devnet;

/// <summary>The capacity timing a devnet's checkers judge by: every process of a devnet shares one machine.</summary>
public sealed class DevnetVerificationTests
{
    private const string H100 = "H100-SXM5-80GB";

    // The devnet's bands, and the timing work its coordinator gives a simulated host of the model (CheckIssuer).
    private static (CapacityTimingOptions Timing, CapacityWork Work, int Size) Devnet(string model)
    {
        var o = new VerificationOptions();
        DevnetCommand.ShareOneMachine(o);
        var timing = o.TimingOptions();
        return (timing, CapacityTiming.WorkFor(model, o.CapacitySize, o.MaxInnerSize, int.MaxValue, timing), o.CapacitySize);
    }

    private static CapacityTimingVerdict Judge(string claimed, string performing, TimeSpan late)
    {
        var (timing, work, size) = Devnet(claimed);
        var taken = CapacityTiming.ExpectedTime(performing, size, work.InnerSize, work.Products) + late;
        return CapacityTiming.Judge(claimed, size, work.InnerSize, work.Products, taken, TimeSpan.FromMilliseconds(1), timing);
    }

    [Theory]
    [InlineData(H100)]
    [InlineData("A100-SXM4-80GB")]
    [InlineData("L40S-48GB")]
    [InlineData("RTX-4090-24GB")]
    public void HonestSimulatedHost_AnsweringLateOnAStarvedMachine_Passes(string model)
    {
        // On CI's loaded machine honest simulated hosts answered 2 s checks up to 574 ms late, on loopback round trips.
        var verdict = Judge(model, model, TimeSpan.FromMilliseconds(700));
        Assert.True(verdict.Passed, verdict.Reason);
    }

    [Fact]
    public void TheCheatTheBannerShows_StillFails()
    {
        // gpunet agent --simulate H100-SXM5-80GB:8 --simulate-actual RTX-4090-24GB: it answers as a 4090 would take.
        var verdict = Judge(H100, "RTX-4090-24GB", TimeSpan.Zero);
        Assert.False(verdict.Passed, verdict.Reason);
    }
}
