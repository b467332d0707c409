using Gpunet.Core.Compliance;

namespace Gpunet.Core.Tests.Compliance;

public sealed class KycLifecycleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Validity = TimeSpan.FromDays(30);

    private static KycStatus Pending => Next(KycLifecycle.Submit(KycStatus.Unverified, T0));

    private static KycStatus Approved => Next(KycLifecycle.Approve(Pending, T0.AddHours(1), Validity));

    private static KycStatus Next(KycTransition transition)
    {
        Assert.True(transition.Ok, transition.Refusal);
        Assert.Null(transition.Refusal);
        return transition.Next;
    }

    private static void AssertRefused(KycTransition transition, string refusal)
    {
        Assert.False(transition.Ok);
        Assert.Null(transition.Next);
        Assert.Contains(refusal, transition.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Submit_Unverified_BecomesPendingWithSubmissionTime()
    {
        var status = Next(KycLifecycle.Submit(KycStatus.Unverified, T0));

        Assert.Equal(new KycStatus(KycState.Pending, T0, null, null, false, null), status);
    }

    [Fact]
    public void Submit_Pending_RefusedAsAlreadyWaiting() =>
        AssertRefused(KycLifecycle.Submit(Pending, T0.AddMinutes(1)), "a submission is already waiting for review");

    [Fact]
    public void Submit_ApprovedAndValid_RefusedNamingTheExpiry() =>
        AssertRefused(KycLifecycle.Submit(Approved, T0.AddDays(29)), "already approved until 2026-12-26T13:00:00.0000000+00:00");

    [Fact]
    public void Submit_ApprovedButExpired_BecomesPendingAgain()
    {
        var status = Next(KycLifecycle.Submit(Approved, T0.AddDays(31)));

        Assert.Equal(new KycStatus(KycState.Pending, T0.AddDays(31), null, null, false, null), status);
    }

    [Fact]
    public void Submit_StoredAsExpired_BecomesPending() =>
        Assert.Equal(KycState.Pending, Next(KycLifecycle.Submit(Approved with { State = KycState.Expired }, T0.AddDays(31))).State);

    [Fact]
    public void Submit_RejectedNotFinal_RetryAllowed()
    {
        var rejected = Next(KycLifecycle.Reject(Pending, T0.AddHours(1), "document unreadable", final: false));

        var retried = Next(KycLifecycle.Submit(rejected, T0.AddHours(2)));

        Assert.Equal(new KycStatus(KycState.Pending, T0.AddHours(2), null, null, false, null), retried);
    }

    [Fact]
    public void Submit_RejectedFinal_RefusedWithNoRetry()
    {
        var rejected = Next(KycLifecycle.Reject(Pending, T0.AddHours(1), "sanctions match", final: true));

        AssertRefused(KycLifecycle.Submit(rejected, T0.AddDays(400)), "rejected with no retry");
    }

    [Fact]
    public void Approve_Pending_ValidUntilNowPlusValidity()
    {
        var decided = T0.AddHours(1);

        var status = Next(KycLifecycle.Approve(Pending, decided, Validity));

        Assert.Equal(new KycStatus(KycState.Approved, T0, decided, decided + Validity, false, null), status);
    }

    [Fact]
    public void Approve_DefaultValidity_IsOneYear()
    {
        var status = Next(KycLifecycle.Approve(Pending, T0, KycLifecycle.DefaultValidity));

        Assert.Equal(T0.AddDays(365), status.ExpiresAt);
    }

    [Theory]
    [InlineData(KycState.Unverified)]
    [InlineData(KycState.Approved)]
    [InlineData(KycState.Rejected)]
    [InlineData(KycState.Expired)]
    public void Approve_NotPending_Refused(KycState state) =>
        AssertRefused(KycLifecycle.Approve(Pending with { State = state }, T0, Validity), "only a pending submission can be approved");

    [Theory]
    [InlineData(KycState.Unverified)]
    [InlineData(KycState.Approved)]
    [InlineData(KycState.Rejected)]
    [InlineData(KycState.Expired)]
    public void Reject_NotPending_Refused(KycState state) =>
        AssertRefused(KycLifecycle.Reject(Pending with { State = state }, T0, "no", final: false), "only a pending submission can be rejected");

    [Fact]
    public void Approve_NonPositiveValidity_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => KycLifecycle.Approve(Pending, T0, TimeSpan.Zero));

    [Fact]
    public void Reject_Pending_KeepsReasonAndFinality()
    {
        var status = Next(KycLifecycle.Reject(Pending, T0.AddHours(3), "sanctions match", final: true));

        Assert.Equal(new KycStatus(KycState.Rejected, T0, T0.AddHours(3), null, true, "sanctions match"), status);
    }

    [Fact]
    public void Reject_EmptyReason_Throws() =>
        Assert.Throws<ArgumentException>(() => KycLifecycle.Reject(Pending, T0, " ", final: false));

    [Fact]
    public void EffectiveState_Approved_ExpiresExactlyAtExpiresAt()
    {
        var expires = Approved.ExpiresAt!.Value;

        Assert.Equal(KycState.Approved, KycLifecycle.EffectiveState(Approved, expires.AddTicks(-1)));
        Assert.Equal(KycState.Expired, KycLifecycle.EffectiveState(Approved, expires));
    }

    [Theory]
    [InlineData(KycState.Unverified)]
    [InlineData(KycState.Pending)]
    [InlineData(KycState.Rejected)]
    [InlineData(KycState.Expired)]
    public void EffectiveState_NotApproved_IsTheStoredState(KycState state) =>
        Assert.Equal(state, KycLifecycle.EffectiveState(KycStatus.Unverified with { State = state }, T0.AddYears(5)));

    [Fact]
    public void Approve_ApprovedButExpired_RefusedNamingExpired() =>
        AssertRefused(KycLifecycle.Approve(Approved, T0.AddDays(31), Validity), "this one is expired");
}
