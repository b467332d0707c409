using Gpunet.Core.Hosts;

namespace Gpunet.Core.Tests.Hosts;

public sealed class HostHoldTests
{
    [Fact]
    public void Compose_OnlyAFailedCheck_ReadsHeldNotCompliance() =>
        Assert.Equal("held: failed capacity check chk_1: too slow", HostHold.Compose(null, "failed capacity check chk_1: too slow", null));

    [Fact]
    public void Compose_ComplianceAndAFailedCheck_KeepsComplianceText() =>
        Assert.Equal("held by compliance: kyc-not-approved; failed capacity check chk_1",
            HostHold.Compose("held by compliance: kyc-not-approved", "failed capacity check chk_1", null));

    [Fact]
    public void Compose_OnlyAnIdentityConflict_KeepsItsText() =>
        Assert.Equal("held by compliance: identity: x", HostHold.Compose(null, null, "identity: x"));

    [Fact]
    public void Compose_FailedCheckAndIdentity_NamesBoth() =>
        Assert.Equal("held: failed capacity check chk_1; identity: x", HostHold.Compose(null, "failed capacity check chk_1", "identity: x"));

    [Fact]
    public void Compose_Nothing_IsNull() => Assert.Null(HostHold.Compose(null, null, null));

    [Theory]
    [InlineData("held: failed capacity check chk_1", "failed capacity check chk_1")]
    [InlineData("held by compliance: kyc-not-approved", "kyc-not-approved")]
    [InlineData("heartbeats resumed", "heartbeats resumed")]
    public void Text_EitherPrefix_Stripped(string reason, string text)
    {
        Assert.Equal(text, HostHold.Text(reason));
        Assert.Equal(reason != text, HostHold.IsHold(reason));
    }
}
