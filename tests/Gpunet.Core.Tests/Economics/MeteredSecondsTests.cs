using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Economics;

namespace Gpunet.Core.Tests.Economics;

public sealed class MeteredSecondsTests
{
    [Fact]
    public void Of_LeftoverMilliseconds_CarriedIntoTheNextEpoch()
    {
        // 9.6 s, then 8.4 s: 9 s charged and 0.6 s carried, then 9 s (not 8) and nothing carried.
        var first = MeteredSeconds.Of(9_600, 0);
        Assert.Equal(new MeteredSeconds(9, 600), first);
        Assert.Equal(new MeteredSeconds(9, 0), MeteredSeconds.Of(8_400, first.CarriedMs));
    }

    [Fact]
    public void Of_LessThanASecondInAll_ChargesNothingAndCarriesIt() =>
        Assert.Equal(new MeteredSeconds(0, 900), MeteredSeconds.Of(700, 200));

    [Fact]
    public void Of_NegativeMilliseconds_Refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MeteredSeconds.Of(-1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MeteredSeconds.Of(0, -1));
    }

    // However a lease's metered time falls into epochs, it is charged floor(total ms / 1000) seconds, and what is
    // carried at the end is the rest, under a second.
    [Property(MaxTest = 500)]
    public Property Of_AnySplitIntoEpochs_ChargesTheWholeSecondsOfTheTotal() =>
        Prop.ForAll(Gen.Choose(0, 10_000_000).Select(ms => (long)ms).ListOf().ToArbitrary(), epochs =>
        {
            var carried = 0L;
            var charged = 0L;
            foreach (var billed in epochs)
            {
                var epoch = MeteredSeconds.Of(billed, carried);
                charged += epoch.Seconds;
                carried = epoch.CarriedMs;
            }

            var total = epochs.Sum();
            return charged == total / 1000 && carried == total % 1000;
        });
}
