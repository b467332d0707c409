using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Gpus;
using Gpunet.Core.Verification;

namespace Gpunet.Core.Tests.Verification;

public sealed class CapacityTimingTests
{
    private static readonly CapacityTimingOptions Options = new();
    private static readonly TimeSpan RoundTrip = TimeSpan.FromMilliseconds(80);

    // A claimed model, a round trip (ms), how slow the honest card is (‰) and how far the network is off (%).
    private static readonly Gen<(string Model, int RttMs, int CardPerMille, int JitterPercent)> Case =
        from model in Gen.Elements(GpuCatalog.All.Select(m => m.Name).ToArray())
        from rtt in Gen.Choose(1, 300)
        from card in Gen.Choose(0, 80)
        from jitter in Gen.Choose(-30, 30)
        select (model, rtt, card, jitter);

    [Theory]
    [InlineData("H100-SXM5-80GB", 1.00, 1.00)]
    [InlineData("H100-SXM5-80GB", 1.05, 1.30)]
    [InlineData("RTX-4090-24GB", 1.07, 0.70)]
    [InlineData("T4-16GB", 1.03, 1.25)]
    public void Judge_ClaimedCardWithinBandUnderJitter_Passes(string model, double slower, double jitter)
    {
        var products = CapacityTiming.ProductsFor(model, 2048, Options);
        var measured = (CapacityTiming.ExpectedTime(model, 2048, products) * slower) + (RoundTrip * jitter);
        var verdict = CapacityTiming.Judge(model, 2048, products, measured, RoundTrip, Options);
        Assert.True(verdict.Passed, verdict.Reason);
    }

    [Theory]
    [InlineData("H100-SXM5-80GB")]
    [InlineData("A100-SXM4-80GB")]
    [InlineData("L4-24GB")]
    public void Judge_CardThirtyPercentSlower_TooSlow(string model)
    {
        var products = CapacityTiming.ProductsFor(model, 2048, Options);
        // 30 % slower takes 1.3 × the time; the round trip is at its best, and still the answer is late.
        var measured = (CapacityTiming.ExpectedTime(model, 2048, products) * 1.3) + (RoundTrip * 0.7);
        var verdict = CapacityTiming.Judge(model, 2048, products, measured, RoundTrip, Options);
        Assert.False(verdict.Passed);
        Assert.Contains("Too slow for " + model, verdict.Reason, StringComparison.Ordinal);
        Assert.InRange(verdict.SpeedOfClaimed, 0.7, 0.8);
    }

    [Property(MaxTest = 500)]
    public Property Judge_AnyModelAndRoundTrip_HonestWithinBandPassesAndThirtyPercentSlowerFails() =>
        Prop.ForAll(Case.ToArbitrary(), c =>
        {
            var (model, rttMs, cardPerMille, jitterPercent) = c;
            var roundTrip = TimeSpan.FromMilliseconds(rttMs);
            var products = CapacityTiming.ProductsFor(model, 2048, Options);
            var expected = CapacityTiming.ExpectedTime(model, 2048, products);
            // An honest card up to 8 % slow, the network up to 30 % off the round trip measured before.
            var honest = (expected * (1 + (cardPerMille / 1000.0))) + (roundTrip * (1 + (jitterPercent / 100.0)));
            Assert.True(CapacityTiming.Judge(model, 2048, products, honest, roundTrip, Options).Passed);
            // A card 30 % slower, even with the network 30 % faster than measured.
            var weaker = (expected * 1.3) + (roundTrip * 0.7);
            Assert.False(CapacityTiming.Judge(model, 2048, products, weaker, roundTrip, Options).Passed);
        });

    [Theory]
    [InlineData("H100-SXM5-80GB")]
    [InlineData("RTX-5090-32GB")]
    [InlineData("L4-24GB")]
    public void Judge_CardAtNinetyPercentOfClaimedWithAFarChecker_TooSlow(string model)
    {
        // The round trip measured before at its worst (+30 %) and the one during the check at its best (−30 %): all the
        // slack the network can give a slower card.
        var verdict = JudgeFarChecker(model, cardTime: 1 / 0.9, before: 1.3, during: 0.7);
        Assert.False(verdict.Passed, verdict.Reason);
        Assert.StartsWith("Too slow for " + model, verdict.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("H100-SXM5-80GB")]
    [InlineData("RTX-5090-32GB")]
    [InlineData("L4-24GB")]
    public void Judge_HonestCardFourPercentSlowUnderThirtyPercentJitter_Passes(string model)
    {
        // An honest unit as slow as identical cards get (4 %), and the whole round trip 30 % fast when measured before
        // and 30 % slow during the check: the worst swing the network gives an honest host.
        var verdict = JudgeFarChecker(model, cardTime: 1.04, before: 0.7, during: 1.3);
        Assert.True(verdict.Passed, verdict.Reason);
    }

    // A checker half the earth away (300 ms of round trip): the card takes `cardTime` × the claimed model's time, and the
    // round trips before and during the check are these shares of the 300 ms.
    private static CapacityTimingVerdict JudgeFarChecker(string model, double cardTime, double before, double during)
    {
        var far = TimeSpan.FromMilliseconds(300);
        var products = CapacityTiming.ProductsFor(model, 2048, Options);
        var measured = (CapacityTiming.ExpectedTime(model, 2048, products) * cardTime) + (far * during);
        return CapacityTiming.Judge(model, 2048, products, measured, far * before, Options);
    }

    [Fact]
    public void Judge_Rtx4090ClaimingH100_TooSlow()
    {
        // The --simulate-actual cheat: the work sized for an H100, done at an RTX 4090's speed.
        var products = CapacityTiming.ProductsFor("H100-SXM5-80GB", 2048, Options);
        var measured = CapacityTiming.ExpectedTime("RTX-4090-24GB", 2048, products) + RoundTrip;
        var verdict = CapacityTiming.Judge("H100-SXM5-80GB", 2048, products, measured, RoundTrip, Options);
        Assert.False(verdict.Passed);
        Assert.InRange(verdict.SpeedOfClaimed, 0.3, 0.4);
    }

    [Fact]
    public void ReportedOnly_ATooSlowAnswerPassesSayingWhyItWasNotFailed_AndAnInTimeOneIsUnchanged()
    {
        var products = CapacityTiming.ProductsFor("H100-SXM5-80GB", 2048, Options);
        var slow = CapacityTiming.Judge("H100-SXM5-80GB", 2048, products,
            CapacityTiming.ExpectedTime("RTX-4090-24GB", 2048, products) + RoundTrip, RoundTrip, Options);
        var honest = CapacityTiming.Judge("H100-SXM5-80GB", 2048, products,
            CapacityTiming.ExpectedTime("H100-SXM5-80GB", 2048, products) + RoundTrip, RoundTrip, Options);

        var reported = slow.ReportedOnly();

        Assert.True(reported.Passed);
        Assert.Equal((slow.Expected, slow.Limit, slow.SpeedOfClaimed), (reported.Expected, reported.Limit, reported.SpeedOfClaimed));
        Assert.Equal($"Timing reported, not enforced, on a real GPU (not yet calibrated): {slow.Reason}", reported.Reason);
        Assert.Same(honest, honest.ReportedOnly());
    }

    [Fact]
    public void ProductsFor_ClaimedModel_SizesTheWorkToTheTargetTime()
    {
        foreach (var model in new[] { "B200-SXM-180GB", "H100-SXM5-80GB", "T4-16GB" })
        {
            var products = CapacityTiming.ProductsFor(model, 2048, Options);
            Assert.InRange(CapacityTiming.ExpectedTime(model, 2048, products), Options.TargetComputeTime, Options.TargetComputeTime * 1.01);
        }
    }

    [Fact]
    public void GpuThroughput_EveryCatalogModel_HasASourcedRow()
    {
        Assert.All(GpuCatalog.All, model =>
        {
            var row = GpuThroughput.For(model.Name);
            Assert.True(row.DenseInt8Tops > 0);
            Assert.False(string.IsNullOrWhiteSpace(row.Source));
            Assert.InRange(row.AchievedFraction, 0.01, 1);
            Assert.False(string.IsNullOrWhiteSpace(row.FractionSource));
        });
        Assert.Equal(GpuCatalog.All.Count, GpuThroughput.All.Count);
    }

    [Fact]
    public void Judge_UnknownModel_Refused() =>
        Assert.Throws<ArgumentException>(() => CapacityTiming.Judge("GTX-1080", 2048, 1, TimeSpan.FromSeconds(1), RoundTrip, Options));
}
