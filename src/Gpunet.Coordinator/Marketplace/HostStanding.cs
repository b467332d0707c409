using Gpunet.Core.Verification;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>What the network has seen of a host, as the matcher ranks it.</summary>
/// <param name="Record">Its track record over the window.</param>
/// <param name="Reputation"><see cref="HostReputation.Of"/> the record.</param>
/// <param name="MeasuredAt">Where round trips place it when they contradict its declared place; null when the declared
/// place stands (consistent, or too few checkers yet).</param>
/// <param name="RoundTripsMs">The checkers' recent round trips to it in milliseconds, the latest per checker, ordered by
/// checker; empty when none is kept (none measured yet, or all too old).</param>
internal sealed record HostStanding(HostTrackRecord Record, double Reputation, LocationPoint? MeasuredAt, IReadOnlyList<double> RoundTripsMs)
{
    /// <summary>A host nothing is known of yet: reputation 0.5, declared place, no round trips.</summary>
    public static HostStanding None { get; } = new(HostTrackRecord.None, HostReputation.Of(HostTrackRecord.None), null, []);
}
