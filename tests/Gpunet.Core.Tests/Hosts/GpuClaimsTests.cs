using Gpunet.Core.Hosts;

namespace Gpunet.Core.Tests.Hosts;

public sealed class GpuClaimsTests
{
    private const string Operator = "0x1111111111111111111111111111111111111111";
    private const string Stranger = "0x2222222222222222222222222222222222222222";
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(60);

    private static GpuHolder Holder(string address, TimeSpan? silentFor, bool connected = false, string uuid = "GPU-a") =>
        new(uuid, "host-old", address, silentFor is { } s ? Now - s : null, connected);

    [Fact]
    public void Decide_NoOtherHolder_ClaimStandsAndNothingMoves()
    {
        var decision = GpuClaims.Decide(Operator, [], Now, Grace);

        Assert.False(decision.Refused);
        Assert.Empty(decision.Released);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(86_400)]
    public void Decide_GpuOfAnotherOperator_RefusedHoweverLongItsHostIsSilent(int silentSeconds)
    {
        var decision = GpuClaims.Decide(Operator, [Holder(Stranger, TimeSpan.FromSeconds(silentSeconds))], Now, Grace);

        Assert.True(decision.Refused);
        Assert.Equal("host-old", decision.RefusedBy!.HostId);
        Assert.Contains("GPU GPU-a is registered to host host-old of another operator", decision.Refusal, StringComparison.Ordinal);
        Assert.Empty(decision.Released);
    }

    [Fact]
    public void Decide_SameOperatorsHostStillHeard_RefusedSayingWhenItWouldMove()
    {
        var decision = GpuClaims.Decide(Operator, [Holder(Operator, TimeSpan.FromSeconds(20))], Now, Grace);

        Assert.True(decision.Refused);
        Assert.Contains("your host host-old (heard 20 s ago)", decision.Refusal, StringComparison.Ordinal);
        Assert.Contains("silent for 60 s", decision.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_SameOperatorsHostConnected_RefusedEvenIfTheStoreHeardItLongAgo()
    {
        var decision = GpuClaims.Decide(Operator, [Holder(Operator, TimeSpan.FromHours(1), connected: true)], Now, Grace);

        Assert.True(decision.Refused);
        Assert.Contains("connected now", decision.Refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(60)]
    [InlineData(3600)]
    public void Decide_SameOperatorsHostSilentForTheGracePeriod_GpusMoveToTheNewContainer(int silentSeconds)
    {
        GpuHolder[] holders = [Holder(Operator, TimeSpan.FromSeconds(silentSeconds)), Holder(Operator, TimeSpan.FromSeconds(silentSeconds), uuid: "GPU-b")];

        var decision = GpuClaims.Decide(Operator, holders, Now, Grace);

        Assert.False(decision.Refused);
        Assert.Equal(holders, decision.Released);
    }

    [Fact]
    public void Decide_SameOperatorsHostNeverHeard_GpusMove()
    {
        var decision = GpuClaims.Decide(Operator, [Holder(Operator, silentFor: null)], Now, Grace);

        Assert.False(decision.Refused);
        Assert.Single(decision.Released);
    }

    [Fact]
    public void Decide_OneGpuMayMoveAndAnotherNot_RefusedAndNothingMoves()
    {
        GpuHolder[] holders = [Holder(Operator, TimeSpan.FromHours(1)), Holder(Stranger, TimeSpan.FromHours(1), uuid: "GPU-b")];

        var decision = GpuClaims.Decide(Operator, holders, Now, Grace);

        Assert.True(decision.Refused);
        Assert.Equal("GPU-b", decision.RefusedBy!.Uuid);
        Assert.Empty(decision.Released);
    }

    [Theory]
    [InlineData(5, false, true)]
    [InlineData(0, true, true)]
    [InlineData(86_400, true, true)]
    [InlineData(86_400, false, false)]
    public void Decide_GpuOfAnotherOperator_HolderFlaggedOnlyWhileLive(int silentSeconds, bool connected, bool flagged)
    {
        var decision = GpuClaims.Decide(Operator, [Holder(Stranger, TimeSpan.FromSeconds(silentSeconds), connected)], Now, Grace);

        Assert.True(decision.Refused);
        Assert.Equal(flagged, decision.HolderFlagged);
    }

    [Fact]
    public void Decide_SameOperatorsHostStillHeard_HolderFlaggedToo()
    {
        Assert.True(GpuClaims.Decide(Operator, [Holder(Operator, TimeSpan.FromSeconds(20))], Now, Grace).HolderFlagged);
    }

    [Fact]
    public void Decide_SilentHoldersGpusMove_NobodyFlagged()
    {
        Assert.False(GpuClaims.Decide(Operator, [Holder(Operator, TimeSpan.FromHours(1))], Now, Grace).HolderFlagged);
    }
}
