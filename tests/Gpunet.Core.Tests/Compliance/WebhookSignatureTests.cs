using System.Text;
using Gpunet.Core.Compliance;

namespace Gpunet.Core.Tests.Compliance;

public sealed class WebhookSignatureTests
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("whsec_test_secret");
    private static readonly byte[] OtherSecret = Encoding.UTF8.GetBytes("whsec_rotated_secret");
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"evt_1","type":"kyc.approved","subject":"0xabc"}""");
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly long T = Now.ToUnixTimeSeconds();

    private static WebhookVerdict Verify(string? header, byte[]? body = null, DateTimeOffset? now = null) =>
        WebhookSignature.Verify(Secret, header, body ?? Body, now ?? Now, WebhookSignature.DefaultTolerance);

    private static string V1(string header) => header[(header.IndexOf("v1=", StringComparison.Ordinal) + 3)..];

    [Fact]
    public void Sign_KnownVector_MatchesHmacSha256OverTimestampDotBody()
    {
        // HMAC-SHA256("key", "1.x"), computed independently with `printf 1.x | openssl dgst -sha256 -hmac key`.
        var header = WebhookSignature.Sign("key"u8, 1, "x"u8);

        Assert.Equal("t=1,v1=fc4913c41a7bf793267e2a384f3261c9436ec2cd097bd745e7b0d99113f510ec", header);
    }

    [Fact]
    public void Verify_FreshSignature_Valid() =>
        Assert.Equal(WebhookVerdict.Valid, Verify(WebhookSignature.Sign(Secret, T, Body)));

    [Fact]
    public void Verify_WrongSecret_BadSignature() =>
        Assert.Equal(WebhookVerdict.BadSignature, Verify(WebhookSignature.Sign(OtherSecret, T, Body)));

    [Fact]
    public void Verify_BodyTampered_BadSignature()
    {
        var tampered = Encoding.UTF8.GetBytes("""{"id":"evt_1","type":"kyc.approved","subject":"0xabd"}""");

        Assert.Equal(WebhookVerdict.BadSignature, Verify(WebhookSignature.Sign(Secret, T, Body), tampered));
    }

    [Fact]
    public void Verify_TimestampChangedAfterSigning_BadSignature()
    {
        var header = WebhookSignature.Sign(Secret, T - 3600, Body);

        Assert.Equal(WebhookVerdict.BadSignature, Verify(header.Replace($"t={T - 3600}", $"t={T}", StringComparison.Ordinal)));
    }

    [Fact]
    public void Verify_SignedMoreThanToleranceAgo_Stale()
    {
        Assert.Equal(WebhookVerdict.Valid, Verify(WebhookSignature.Sign(Secret, T - 300, Body)));
        Assert.Equal(WebhookVerdict.Stale, Verify(WebhookSignature.Sign(Secret, T - 301, Body)));
    }

    [Fact]
    public void Verify_SignedMoreThanToleranceAhead_Stale()
    {
        Assert.Equal(WebhookVerdict.Valid, Verify(WebhookSignature.Sign(Secret, T + 300, Body)));
        Assert.Equal(WebhookVerdict.Stale, Verify(WebhookSignature.Sign(Secret, T + 301, Body)));
    }

    [Fact]
    public void Verify_AbsurdTimestampCorrectlySigned_StaleNotOverflow() =>
        Assert.Equal(WebhookVerdict.Stale, Verify(WebhookSignature.Sign(Secret, long.MaxValue, Body)));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Verify_NoHeader_Missing(string? header) =>
        Assert.Equal(WebhookVerdict.Missing, Verify(header));

    [Theory]
    [InlineData("garbage")]
    [InlineData("t=1764158400")]
    [InlineData("v1=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("t=abc,v1=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("t=-5,v1=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("t=1,t=2,v1=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("t=1764158400,v1=abc")]
    [InlineData("t=1764158400,v1=zz00000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("t=1764158400,=x,v1=0000000000000000000000000000000000000000000000000000000000000000")]
    public void Verify_MalformedHeader_Malformed(string header) =>
        Assert.Equal(WebhookVerdict.Malformed, Verify(header));

    [Fact]
    public void Verify_RotationWithOldAndNewSignatures_ValidWhenEitherMatches()
    {
        var mine = V1(WebhookSignature.Sign(Secret, T, Body));
        var other = V1(WebhookSignature.Sign(OtherSecret, T, Body));

        Assert.Equal(WebhookVerdict.Valid, Verify($"t={T},v1={other},v1={mine}"));
        Assert.Equal(WebhookVerdict.Valid, Verify($"t={T}, v1={mine}, v1={other}"));
        Assert.Equal(WebhookVerdict.BadSignature, Verify($"t={T},v1={other},v1={other}"));
    }

    [Fact]
    public void Verify_UnknownSchemeAlongsideV1_Ignored()
    {
        var mine = V1(WebhookSignature.Sign(Secret, T, Body));

        Assert.Equal(WebhookVerdict.Valid, Verify($"t={T},v0=deadbeef,v1={mine}"));
    }

    [Fact]
    public void Verify_UpperCaseHexSignature_Valid() =>
        Assert.Equal(WebhookVerdict.Valid, Verify($"t={T},v1={V1(WebhookSignature.Sign(Secret, T, Body)).ToUpperInvariant()}"));
}
