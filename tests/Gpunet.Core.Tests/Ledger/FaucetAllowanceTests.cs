using Gpunet.Core.Ledger;

namespace Gpunet.Core.Tests.Ledger;

public sealed class FaucetAllowanceTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TokenAmount Limit = TokenAmount.FromTokens(1000);

    private static (TokenAmount, DateTimeOffset) Claim(decimal tokens, TimeSpan ago) => (TokenAmount.FromTokens(tokens), Now - ago);

    [Fact]
    public void Remaining_NoClaims_IsTheWholeLimit()
    {
        Assert.Equal(Limit, FaucetAllowance.Remaining(Limit, [], Now));
        Assert.Null(FaucetAllowance.GrowsAt([], Now));
    }

    [Fact]
    public void Remaining_ClaimsWithinTheDay_AreSubtracted_AndTheOldestSaysWhenItGrows()
    {
        (TokenAmount, DateTimeOffset)[] claims = [Claim(600, TimeSpan.FromHours(20)), Claim(300, TimeSpan.FromHours(1))];

        Assert.Equal(TokenAmount.FromTokens(100), FaucetAllowance.Remaining(Limit, claims, Now));
        Assert.Equal(Now + TimeSpan.FromHours(4), FaucetAllowance.GrowsAt(claims, Now));
    }

    [Fact]
    public void Remaining_ADayLater_ClaimsNoLongerCount()
    {
        (TokenAmount, DateTimeOffset)[] claims = [Claim(1000, TimeSpan.FromHours(1))];
        Assert.Equal(TokenAmount.Zero, FaucetAllowance.Remaining(Limit, claims, Now));

        var dayLater = Now + FaucetAllowance.Window;
        Assert.Equal(TokenAmount.Zero, FaucetAllowance.Remaining(Limit, claims, dayLater - TimeSpan.FromHours(1) - TimeSpan.FromTicks(1)));
        Assert.Equal(Limit, FaucetAllowance.Remaining(Limit, claims, dayLater - TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Remaining_ClaimsPastTheLimit_NeverGoBelowZero()
    {
        // A limit lowered after the claims (or claims through two coordinators at once) can leave more given than allowed.
        (TokenAmount, DateTimeOffset)[] claims = [Claim(800, TimeSpan.FromHours(2)), Claim(800, TimeSpan.FromHours(1))];
        Assert.Equal(TokenAmount.Zero, FaucetAllowance.Remaining(Limit, claims, Now));
    }
}
