using Gpunet.Core.Verification;

namespace Gpunet.Coordinator.Marketplace;

/// <summary>Takes the round trips checkers measured to a host, with where each checker was, so that the matcher's
/// latency ranking and <c>maxLatencyMs</c> can use where the host is measured to be rather than where it says it is.</summary>
/// <remarks>Called by whoever decides liveness and service checks (the checkers' places are known there, not stored);
/// thread-safe and quick (no I/O).</remarks>
internal interface IRoundTripSink
{
    /// <summary>The round trips of one decided check of <paramref name="hostId"/>; each replaces its checker's last.</summary>
    void Measured(string hostId, IReadOnlyList<LocationProbe> probes);
}
