using System.Net;
using Gpunet.Core.Hosts;

namespace Gpunet.Core.Tests.Hosts;

public sealed class ClonedFingerprintsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan LiveWithin = TimeSpan.FromSeconds(30);
    private static readonly IPAddress Frankfurt = IPAddress.Parse("203.0.113.7");
    private static readonly IPAddress Elsewhere = IPAddress.Parse("198.51.100.9");

    private static LiveConnection Live(IPAddress? place, bool connected = true, double heardSecondsAgo = 2) =>
        new(place, connected, Now - TimeSpan.FromSeconds(heardSecondsAgo));

    [Fact]
    public void Decide_LiveFromAnotherAddress_RefusesTheNewerNamingBothAddresses()
    {
        var decision = ClonedFingerprints.Decide("host-abc", Live(Frankfurt), Elsewhere, Now, LiveWithin);

        Assert.True(decision.Cloned);
        Assert.Equal("host host-abc (this hardware fingerprint) is live from 203.0.113.7 (heard 2 s ago) and registered again from " +
            "198.51.100.9: one fingerprint is one machine, so this copy is refused and the host is not matched while both are seen",
            decision.Refusal);
        Assert.Equal("cloned fingerprint: seen from 203.0.113.7 and 198.51.100.9 at once", decision.Flag);
    }

    [Fact]
    public void Decide_ReconnectFromTheSameAddress_Accepted()
    {
        Assert.False(ClonedFingerprints.Decide("host-abc", Live(Frankfurt), IPAddress.Parse("203.0.113.7"), Now, LiveWithin).Cloned);
    }

    [Fact]
    public void Decide_SameAddressAsIPv4MappedIPv6_Accepted()
    {
        Assert.False(ClonedFingerprints.Decide("host-abc", Live(Frankfurt), Frankfurt.MapToIPv6(), Now, LiveWithin).Cloned);
    }

    [Fact]
    public void Decide_PreviousStreamClosed_AcceptedFromAnywhere()
    {
        Assert.False(ClonedFingerprints.Decide("host-abc", Live(Frankfurt, connected: false), Elsewhere, Now, LiveWithin).Cloned);
    }

    [Fact]
    public void Decide_OpenButSilentPastTheSuspectThreshold_AcceptedAsAMachineThatMoved()
    {
        Assert.False(ClonedFingerprints.Decide("host-abc", Live(Frankfurt, heardSecondsAgo: 30), Elsewhere, Now, LiveWithin).Cloned);
        Assert.True(ClonedFingerprints.Decide("host-abc", Live(Frankfurt, heardSecondsAgo: 29), Elsewhere, Now, LiveWithin).Cloned);
    }

    [Fact]
    public void Decide_EitherAddressUnknown_Accepted()
    {
        Assert.False(ClonedFingerprints.Decide("host-abc", Live(null), Elsewhere, Now, LiveWithin).Cloned);
        Assert.False(ClonedFingerprints.Decide("host-abc", Live(Frankfurt), null, Now, LiveWithin).Cloned);
    }
}
