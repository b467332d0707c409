using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Ledger;
using Gpunet.Core.Sla;

namespace Gpunet.Core.Tests.Sla;

public sealed class SlaCreditsTests
{
    // AWS EC2's schedule, for a tier promising 99.5 %.
    private static readonly SlaTier Business = new("business", 0.995m, TimeSpan.FromMinutes(5), 80, 0.7,
        [new CreditStep(0.995m, 10), new CreditStep(0.99m, 30), new CreditStep(0.95m, 100)], 25, HostQualification.Any);

    [Theory]
    [InlineData(1.0, 0)]
    [InlineData(0.995, 0)]
    [InlineData(0.9949, 10)]
    [InlineData(0.99, 10)]
    [InlineData(0.985, 30)]
    [InlineData(0.9, 100)]
    [InlineData(0.0, 100)]
    public void PercentFor_Availability_TheStepItFallsBelow(double availability, int percent) =>
        Assert.Equal(percent, SlaCredits.PercentFor(Business, availability, replacementBroken: false));

    [Fact]
    public void PercentFor_ReplacementBrokenWithGoodAvailability_TheReplacementCredit() =>
        Assert.Equal(25, SlaCredits.PercentFor(Business, 0.999, replacementBroken: true));

    [Fact]
    public void PercentFor_ReplacementBrokenAndAvailabilityFarBelow_TheLargerCredit() =>
        Assert.Equal(100, SlaCredits.PercentFor(Business, 0.5, replacementBroken: true));

    [Fact]
    public void Due_TenPercentOfAnOddAmount_RoundsDown() =>
        Assert.Equal(TokenAmount.FromBaseUnits(12), SlaCredits.Due(TokenAmount.FromBaseUnits(129), 10));

    [Fact]
    public void Outstanding_AvailabilityRecoveredAfterACredit_NothingTakenBack() =>
        Assert.Equal(TokenAmount.Zero, SlaCredits.Outstanding(TokenAmount.FromBaseUnits(5), TokenAmount.FromBaseUnits(20)));

    [Fact]
    public void Availability_HalfAnHourDownInAThirtyDayMonth_NinetyNinePointNineThreePercent() =>
        Assert.Equal(1 - (1800.0 / (30 * 86_400)), SlaAvailability.Of(30 * 86_400, 1800), 12);

    [Fact]
    public void Availability_NothingOwed_One() => Assert.Equal(1.0, SlaAvailability.Of(0, 100));

    // Over a month of epochs, whatever the availability does, the credits paid never exceed the fees charged.
    [Property(MaxTest = 300)]
    public Property Credits_AnyMonth_NeverExceedTheFees() =>
        Prop.ForAll(Gen.ListOf(Gen.Zip(Gen.Choose(0, 1_000_000), Gen.Choose(0, 1000))).ToArbitrary(), epochs =>
        {
            long fees = 0, credited = 0;
            foreach (var (charged, availabilityPerMille) in epochs)
            {
                fees += charged;
                var due = SlaCredits.Due(TokenAmount.FromBaseUnits(fees), SlaCredits.PercentFor(Business, availabilityPerMille / 1000.0, availabilityPerMille % 7 == 0));
                credited += SlaCredits.Outstanding(due, TokenAmount.FromBaseUnits(credited)).BaseUnits;
            }

            return credited >= 0 && credited <= fees;
        });
}
