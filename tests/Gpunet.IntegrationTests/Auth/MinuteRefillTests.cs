using Gpunet.Coordinator.Auth;

namespace Gpunet.IntegrationTests.Auth;

/// <summary>A participant's budget refills at exactly the rate the operator configured and the RateLimit-Policy field
/// states (q per 60 s): not faster when the budget is not a multiple of 60 a minute.</summary>
public sealed class MinuteRefillTests
{
    [Theory]
    [InlineData(1_200, 20, 1)]
    [InlineData(90, 3, 2)]
    [InlineData(30, 1, 2)] // before: one a second, 60 a minute
    [InlineData(7, 7, 60)]
    [InlineData(1, 1, 60)]
    public void Of_GivesBackTheMinutesBudgetInEqualWholeSteps(int perMinute, int tokens, int seconds) =>
        Assert.Equal(new MinuteRefill(tokens, TimeSpan.FromSeconds(seconds)), MinuteRefill.Of(perMinute));

    [Fact]
    public void Of_AnyBudget_RefillsExactlyItEachMinute_InWholeSecondsThatDivideAMinute()
    {
        for (var perMinute = 1; perMinute <= 10_000; perMinute++)
        {
            var r = MinuteRefill.Of(perMinute);
            var seconds = (int)r.Period.TotalSeconds;
            Assert.Equal(r.Period, TimeSpan.FromSeconds(seconds));
            Assert.Equal(0, 60 % seconds);
            Assert.Equal(perMinute, r.Tokens * (60 / seconds));
        }
    }

    [Fact]
    public void SecondsUntilWhole_CountsTheStepsStillToCome()
    {
        var r = MinuteRefill.Of(90); // 3 every 2 s
        Assert.Equal(0, r.SecondsUntilWhole(90, 90));
        Assert.Equal(2, r.SecondsUntilWhole(90, 89));
        Assert.Equal(2, r.SecondsUntilWhole(90, 87));
        Assert.Equal(4, r.SecondsUntilWhole(90, 86));
        Assert.Equal(60, r.SecondsUntilWhole(90, 0));
    }
}
