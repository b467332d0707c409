namespace Gpunet.Core.Hosts;

/// <summary>The health of one zone (country) in one evaluation.</summary>
/// <param name="Size">Hosts in the zone.</param>
/// <param name="Unhealthy">Hosts that are Suspect or Offline, or silent for at least the Suspect threshold.</param>
/// <param name="State">The zone's disruption state.</param>
/// <param name="OfflineTransitionsPerSecond">The Offline rate the zone got this round; 0 when held or stopped.</param>
public readonly record struct ZoneHealth(int Size, int Unhealthy, ZoneDisruption State, double OfflineTransitionsPerSecond);
