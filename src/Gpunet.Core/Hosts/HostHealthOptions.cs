using System.Globalization;

namespace Gpunet.Core.Hosts;

/// <summary>Settings of the host health policy: when a silent host becomes Suspect, then Offline, and how fast.</summary>
/// <remarks>The rate limits follow the Kubernetes node lifecycle controller (<c>--node-eviction-rate</c>,
/// <c>--secondary-node-eviction-rate</c>, <c>--unhealthy-zone-threshold</c>, <c>--large-cluster-size-threshold</c>),
/// with a zone being a host's country.</remarks>
public sealed class HostHealthOptions
{
    /// <summary>How often agents heartbeat. Default 10 s.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Missed heartbeats after which a Ready host becomes Suspect. Default 3 (30 s with the default interval).</summary>
    public int SuspectAfterMissedHeartbeats { get; init; } = 3;

    /// <summary>Silence after which a host is Offline (treated as failed). Default 60 s.</summary>
    public TimeSpan OfflineGracePeriod { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Offline transitions per second per zone in a healthy zone. Default 1.0.</summary>
    /// <remarks>Kubernetes <c>--node-eviction-rate</c> (default 0.1 there; our fleet is many small hosts).</remarks>
    public double OfflineTransitionsPerSecond { get; init; } = 1.0;

    /// <summary>Offline transitions a healthy zone may make at once before the rate applies. Default 10.</summary>
    public int OfflineBurst { get; init; } = 10;

    /// <summary>Offline transitions per second in a large zone in partial disruption. Default 0.1.</summary>
    /// <remarks>Kubernetes <c>--secondary-node-eviction-rate</c>. Its burst is one transition.</remarks>
    public double SecondaryOfflineTransitionsPerSecond { get; init; } = 0.1;

    /// <summary>Fraction of unhealthy hosts (with more than 2 unhealthy) at which a zone is in partial disruption. Default 0.55.</summary>
    /// <remarks>Kubernetes <c>--unhealthy-zone-threshold</c>.</remarks>
    public double UnhealthyZoneThreshold { get; init; } = 0.55;

    /// <summary>Zones with more hosts than this keep going Offline at the secondary rate in partial disruption; smaller ones stop. Default 50.</summary>
    /// <remarks>Kubernetes <c>--large-cluster-size-threshold</c>.</remarks>
    public int LargeZoneThreshold { get; init; } = 50;

    /// <summary>Silence after which a Ready host becomes Suspect: <see cref="HeartbeatInterval"/> × <see cref="SuspectAfterMissedHeartbeats"/>.</summary>
    public TimeSpan SuspectAfter => HeartbeatInterval * SuspectAfterMissedHeartbeats;

    /// <summary>What is wrong with these settings, one sentence per problem; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (HeartbeatInterval <= TimeSpan.Zero)
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"HeartbeatInterval must be positive, not {HeartbeatInterval}"));
        if (SuspectAfterMissedHeartbeats < 1)
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"SuspectAfterMissedHeartbeats must be at least 1, not {SuspectAfterMissedHeartbeats}"));
        if (OfflineGracePeriod <= TimeSpan.Zero)
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"OfflineGracePeriod must be positive, not {OfflineGracePeriod}"));
        else if (HeartbeatInterval > TimeSpan.Zero && SuspectAfterMissedHeartbeats >= 1 && OfflineGracePeriod < SuspectAfter)
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"OfflineGracePeriod ({OfflineGracePeriod.TotalSeconds} s) must be at least SuspectAfterMissedHeartbeats × HeartbeatInterval ({SuspectAfter.TotalSeconds} s): a host is Suspect before it is Offline"));
        if (!double.IsFinite(OfflineTransitionsPerSecond) || OfflineTransitionsPerSecond <= 0)
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"OfflineTransitionsPerSecond must be a positive number, not {OfflineTransitionsPerSecond}"));
        if (OfflineBurst < 1)
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"OfflineBurst must be at least 1, not {OfflineBurst}"));
        if (!double.IsFinite(SecondaryOfflineTransitionsPerSecond) || SecondaryOfflineTransitionsPerSecond < 0)
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"SecondaryOfflineTransitionsPerSecond must be zero or a positive number, not {SecondaryOfflineTransitionsPerSecond}"));
        else if (SecondaryOfflineTransitionsPerSecond > OfflineTransitionsPerSecond)
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"SecondaryOfflineTransitionsPerSecond ({SecondaryOfflineTransitionsPerSecond}) must not exceed OfflineTransitionsPerSecond ({OfflineTransitionsPerSecond}): it is the slowed-down rate"));
        if (!(UnhealthyZoneThreshold > 0 && UnhealthyZoneThreshold <= 1))
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"UnhealthyZoneThreshold must be a fraction in (0, 1], not {UnhealthyZoneThreshold}"));
        if (LargeZoneThreshold < 0)
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"LargeZoneThreshold must be zero or more, not {LargeZoneThreshold}"));
        return errors;
    }
}
