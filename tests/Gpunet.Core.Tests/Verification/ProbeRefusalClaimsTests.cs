using Gpunet.Core.Identity;
using Gpunet.Core.Verification;

namespace Gpunet.Core.Tests.Verification;

public sealed class ProbeRefusalClaimsTests
{
    private const string Host = "host-000000000001";
    private static readonly Address Checker = Wallet.Create().Address;
    private static readonly Address Outsider = Wallet.Create().Address;

    private static ProbeRefusalAttribution Attribute(string? reason = nameof(ProbeRefusalReason.Replayed), string? checker = null,
        string? checkHost = Host) =>
        ProbeRefusalClaims.Attribute(Host, reason, checker ?? Checker.Value, checkHost, [Checker]);

    [Theory]
    [InlineData(nameof(ProbeRefusalReason.Replayed))]
    [InlineData(nameof(ProbeRefusalReason.TooManyPings))]
    [InlineData(nameof(ProbeRefusalReason.WrongWork))]
    public void Attribute_AfterTheSignatureHeldOnAnAssignedChecker_CountsAgainstIt(string reason)
    {
        var verdict = Attribute(reason);
        Assert.Equal(Checker, verdict.Checker);
        Assert.Equal(reason, verdict.Reason.ToString());
    }

    [Fact]
    public void Attribute_UpperCaseAddress_CountsAgainstTheSameChecker() =>
        Assert.Equal(Checker, Attribute(checker: "0x" + Checker.Value[2..].ToUpperInvariant()).Checker);

    [Theory]
    [InlineData(nameof(ProbeRefusalReason.BadSignature))]
    [InlineData(nameof(ProbeRefusalReason.Stale))]
    [InlineData(nameof(ProbeRefusalReason.NotAnnounced))]
    [InlineData(nameof(ProbeRefusalReason.Expired))]
    [InlineData(nameof(ProbeRefusalReason.WrongKind))]
    [InlineData(nameof(ProbeRefusalReason.Malformed))]
    public void Attribute_BeforeTheSignatureWasVerified_CountsAgainstNobody(string reason)
    {
        var verdict = Attribute(reason);
        Assert.False(verdict.Counts);
        Assert.Contains("before the signature", verdict.Why, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("9")]
    [InlineData("replayed")]
    [InlineData("")]
    [InlineData(null)]
    public void Attribute_UnknownReason_CountsAgainstNobody(string? reason) => Assert.False(Attribute(reason).Counts);

    [Fact]
    public void Attribute_NotAssignedChecker_CountsAgainstNobody() =>
        Assert.Contains("not assigned", Attribute(checker: Outsider.Value).Why, StringComparison.Ordinal);

    [Fact]
    public void Attribute_NotAnAddress_CountsAgainstNobody() => Assert.False(Attribute(checker: "0xnope").Counts);

    [Fact]
    public void Attribute_NoSuchCheck_CountsAgainstNobody() => Assert.Equal("no such check", Attribute(checkHost: null).Why);

    [Fact]
    public void Attribute_AnotherHostsCheck_CountsAgainstNobody() =>
        Assert.Contains("not of the host that reported it", Attribute(checkHost: "host-000000000002").Why, StringComparison.Ordinal);

    [Fact]
    public void Unlicensed_CountsAgainstNobody() => Assert.False(ProbeRefusalClaims.Unlicensed(Checker).Counts);
}
