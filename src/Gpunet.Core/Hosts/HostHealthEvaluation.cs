namespace Gpunet.Core.Hosts;

/// <summary>The outcome of one run of the <see cref="HostHealthPolicy"/>: the state changes to apply and why.</summary>
/// <param name="Transitions">State changes, longest-silent host first; at most one per host.</param>
/// <param name="Zones">Health per zone (country code, upper-case).</param>
/// <param name="OfflineTransitionsHeld">True when every zone was silent and no host was moved to Offline.</param>
/// <param name="HeldReason">Why Offline transitions were held; null when they were not.</param>
/// <param name="OfflineDeferred">Hosts past the grace period kept out of Offline this round, by the rate limit or the hold.</param>
public sealed record HostHealthEvaluation(
    IReadOnlyList<HostTransition> Transitions,
    IReadOnlyDictionary<string, ZoneHealth> Zones,
    bool OfflineTransitionsHeld,
    string? HeldReason,
    int OfflineDeferred);
