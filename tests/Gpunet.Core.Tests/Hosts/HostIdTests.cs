using Gpunet.Core.Hosts;

namespace Gpunet.Core.Tests.Hosts;

public sealed class HostIdTests
{
    [Fact]
    public void FromFingerprint_SameFingerprint_SameId() =>
        Assert.Equal(HostId.FromFingerprint("cpu=EPYC;gpu=GPU-1234;nic=aa:bb"), HostId.FromFingerprint("cpu=EPYC;gpu=GPU-1234;nic=aa:bb"));

    [Fact]
    public void FromFingerprint_DifferentFingerprint_DifferentId() =>
        Assert.NotEqual(HostId.FromFingerprint("nic=aa:bb"), HostId.FromFingerprint("nic=aa:bc"));

    [Fact]
    public void FromFingerprint_KnownInput_FirstSixBytesOfSha256()
    {
        // sha256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
        Assert.Equal("host-ba7816bf8f01", HostId.FromFingerprint("abc").Value);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("a much longer fingerprint with spaces, ünïcödé and 🙂")]
    public void FromFingerprint_AnyText_HostPrefixAndTwelveLowerHex(string fingerprint)
    {
        var id = HostId.FromFingerprint(fingerprint);

        Assert.Matches("^host-[0-9a-f]{12}$", id.Value);
        Assert.Equal(id.Value, id.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void FromFingerprint_Blank_ArgumentException(string fingerprint) =>
        Assert.ThrowsAny<ArgumentException>(() => HostId.FromFingerprint(fingerprint));

    [Fact]
    public void TryParse_GeneratedId_RoundTrips()
    {
        var id = HostId.FromFingerprint("fp");

        Assert.True(HostId.TryParse(id.Value, out var parsed));
        Assert.Equal(id, parsed);
    }

    [Theory]
    [InlineData("host-0123456789ab")]
    [InlineData("host-000000000000")]
    [InlineData("host-ffffffffffff")]
    public void TryParse_WellFormed_True(string text)
    {
        Assert.True(HostId.TryParse(text, out var id));
        Assert.Equal(text, id.Value.Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("host-")]
    [InlineData("host-0123456789a")] // 11 digits
    [InlineData("host-0123456789abc")] // 13 digits
    [InlineData("host-0123456789AB")] // upper case
    [InlineData("Host-0123456789ab")]
    [InlineData("node-0123456789ab")]
    [InlineData("host_0123456789ab")]
    [InlineData("host-0123456789ag")]
    [InlineData(" host-0123456789ab")]
    [InlineData("0123456789ab")]
    public void TryParse_Malformed_False(string? text)
    {
        Assert.False(HostId.TryParse(text, out var id));
        Assert.Null(id);
    }

    [Fact]
    public void Value_DefaultId_Throws()
    {
        var id = default(HostId);

        Assert.Throws<InvalidOperationException>(() => id.Value);
    }
}
