using Gpunet.Core.Identity;

namespace Gpunet.Core.Tests.Identity;

public sealed class CanonicalMessageTests
{
    private static readonly Address Addr = Address.Parse("0x52908400098527886E0F7030069857D2E4169EE7");

    [Fact]
    public void Create_WithFields_ExactLayout()
    {
        var at = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(2)).AddMilliseconds(789);
        var fields = new Dictionary<string, string> { ["zeta"] = "last", ["alpha"] = "first: with colon", ["Beta"] = "" };

        var message = CanonicalMessage.Create("api-token", "devnet", Addr, "n:1", at, fields);

        Assert.Equal(
            "Gpunet signed message v1\n" +
            "purpose: api-token\n" +
            "network: devnet\n" +
            "address: 0x52908400098527886e0f7030069857d2e4169ee7\n" +
            "nonce: n:1\n" +
            "timestamp: 2024-05-06T05:08:09Z\n" +
            "Beta: \n" +
            "alpha: first: with colon\n" +
            "zeta: last",
            message.Text);
        Assert.Equal(message.Text, message.ToString());
    }

    [Fact]
    public void Create_NoFields_EndsWithTimestampLine()
    {
        var message = CanonicalMessage.Create("p", "n", Addr, "x", Signing.T0);

        Assert.EndsWith("\ntimestamp: 2025-03-14T15:09:26Z", message.Text, StringComparison.Ordinal);
        Assert.Equal(6, message.Text.Split('\n').Length);
        Assert.StartsWith(CanonicalMessage.Header + "\n", message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_Parts_ExposedAsGiven()
    {
        var message = CanonicalMessage.Create("p", "n", Addr, "x", Signing.T0);

        Assert.Equal(("p", "n", Addr, "x"), (message.Purpose, message.Network, message.Address, message.Nonce));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(999)]
    public void Create_SubSecondTimestamp_TruncatedToWholeUtcSeconds(int millis)
    {
        var at = new DateTimeOffset(2025, 3, 14, 10, 9, 26, TimeSpan.FromHours(-5)).AddMilliseconds(millis).AddTicks(millis == 999 ? 9999 : 0);

        var message = CanonicalMessage.Create("p", "n", Addr, "x", at);

        Assert.Equal(Signing.T0, message.Timestamp);
        Assert.Equal(TimeSpan.Zero, message.Timestamp.Offset);
        Assert.Contains("\ntimestamp: 2025-03-14T15:09:26Z", message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_SameInstantDifferentOffsets_SameText()
    {
        var utc = CanonicalMessage.Create("p", "n", Addr, "x", Signing.T0);
        var tokyo = CanonicalMessage.Create("p", "n", Addr, "x", Signing.T0.ToOffset(TimeSpan.FromHours(9)));

        Assert.Equal(utc.Text, tokyo.Text);
    }

    [Fact]
    public void Create_FieldOrder_DoesNotMatter()
    {
        KeyValuePair<string, string>[] one = [new("b", "2"), new("a", "1"), new("c", "3")];
        KeyValuePair<string, string>[] two = [new("c", "3"), new("b", "2"), new("a", "1")];

        Assert.Equal(
            CanonicalMessage.Create("p", "n", Addr, "x", Signing.T0, one).Text,
            CanonicalMessage.Create("p", "n", Addr, "x", Signing.T0, two).Text);
    }

    [Theory]
    [InlineData("bad\npurpose", "n", "x")]
    [InlineData("bad\rpurpose", "n", "x")]
    [InlineData("p", "dev\nnet", "x")]
    [InlineData("p", "dev\rnet", "x")]
    [InlineData("p", "n", "x\nnetwork: mainnet")]
    [InlineData("p", "n", "x\r")]
    [InlineData("pur:pose", "n", "x")]
    [InlineData("p", "dev:net", "x")]
    [InlineData("", "n", "x")]
    [InlineData(" ", "n", "x")]
    [InlineData("p", "", "x")]
    [InlineData("p", "n", "")]
    [InlineData("p", "n", "\t")]
    public void Create_LineBreakColonOrEmptyPart_ArgumentException(string purpose, string network, string nonce) =>
        Assert.Throws<ArgumentException>(() => CanonicalMessage.Create(purpose, network, Addr, nonce, Signing.T0));

    [Theory]
    [InlineData("key\nx", "v")]
    [InlineData("key\rx", "v")]
    [InlineData("ke:y", "v")]
    [InlineData("", "v")]
    [InlineData("key", "line\nbreak")]
    [InlineData("key", "line\rbreak")]
    [InlineData("key", "v\nnonce: other")]
    public void Create_LineBreakInField_ArgumentException(string key, string value) =>
        Assert.Throws<ArgumentException>(() =>
            CanonicalMessage.Create("p", "n", Addr, "x", Signing.T0, [new(key, value)]));

    [Theory]
    [InlineData("purpose")]
    [InlineData("network")]
    [InlineData("address")]
    [InlineData("nonce")]
    [InlineData("timestamp")]
    public void Create_ReservedFieldKey_ArgumentExceptionNamingIt(string key)
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            CanonicalMessage.Create("p", "n", Addr, "x", Signing.T0, [new(key, "v")]));

        Assert.Contains($"'{key}' is reserved", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_ColonInNonceOrValue_Allowed()
    {
        var message = CanonicalMessage.Create("p", "n", Addr, "2025:abc", Signing.T0, [new("k", "a: b")]);

        Assert.Contains("\nnonce: 2025:abc\n", message.Text, StringComparison.Ordinal);
        Assert.EndsWith("\nk: a: b", message.Text, StringComparison.Ordinal);
    }
}
