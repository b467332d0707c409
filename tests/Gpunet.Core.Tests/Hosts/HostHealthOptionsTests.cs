using Gpunet.Core.Hosts;

namespace Gpunet.Core.Tests.Hosts;

public sealed class HostHealthOptionsTests
{
    [Fact]
    public void Defaults_AreValidAndDocumentedValues()
    {
        var o = new HostHealthOptions();

        Assert.Empty(o.Validate());
        Assert.Equal(TimeSpan.FromSeconds(10), o.HeartbeatInterval);
        Assert.Equal(3, o.SuspectAfterMissedHeartbeats);
        Assert.Equal(TimeSpan.FromSeconds(30), o.SuspectAfter);
        Assert.Equal(TimeSpan.FromSeconds(60), o.OfflineGracePeriod);
        Assert.Equal(1.0, o.OfflineTransitionsPerSecond);
        Assert.Equal(10, o.OfflineBurst);
        Assert.Equal(0.1, o.SecondaryOfflineTransitionsPerSecond);
        Assert.Equal(0.55, o.UnhealthyZoneThreshold);
        Assert.Equal(50, o.LargeZoneThreshold);
    }

    public static TheoryData<HostHealthOptions, string> Nonsense => new()
    {
        { new() { HeartbeatInterval = TimeSpan.Zero }, "HeartbeatInterval must be positive" },
        { new() { SuspectAfterMissedHeartbeats = 0 }, "SuspectAfterMissedHeartbeats must be at least 1" },
        { new() { OfflineGracePeriod = TimeSpan.FromSeconds(-1) }, "OfflineGracePeriod must be positive" },
        { new() { OfflineGracePeriod = TimeSpan.FromSeconds(20) }, "OfflineGracePeriod (20 s) must be at least SuspectAfterMissedHeartbeats × HeartbeatInterval (30 s)" },
        { new() { OfflineTransitionsPerSecond = 0, SecondaryOfflineTransitionsPerSecond = 0 }, "OfflineTransitionsPerSecond must be a positive number" },
        { new() { OfflineTransitionsPerSecond = double.NaN }, "OfflineTransitionsPerSecond must be a positive number" },
        { new() { OfflineBurst = 0 }, "OfflineBurst must be at least 1" },
        { new() { SecondaryOfflineTransitionsPerSecond = -0.1 }, "SecondaryOfflineTransitionsPerSecond must be zero or a positive number" },
        { new() { SecondaryOfflineTransitionsPerSecond = 2 }, "SecondaryOfflineTransitionsPerSecond (2) must not exceed OfflineTransitionsPerSecond (1)" },
        { new() { UnhealthyZoneThreshold = 0 }, "UnhealthyZoneThreshold must be a fraction in (0, 1]" },
        { new() { UnhealthyZoneThreshold = 1.5 }, "UnhealthyZoneThreshold must be a fraction in (0, 1]" },
        { new() { LargeZoneThreshold = -1 }, "LargeZoneThreshold must be zero or more" },
    };

    [Theory]
    [MemberData(nameof(Nonsense))]
    public void Validate_NonsenseValue_NamesIt(HostHealthOptions options, string expected)
    {
        var error = Assert.Single(options.Validate());

        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Policy_InvalidOptions_ThrowsListingErrors()
    {
        var e = Assert.Throws<ArgumentException>(() => new HostHealthPolicy(new HostHealthOptions { OfflineBurst = 0 }));

        Assert.Contains("OfflineBurst must be at least 1", e.Message, StringComparison.Ordinal);
    }
}
