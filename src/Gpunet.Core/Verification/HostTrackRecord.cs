namespace Gpunet.Core.Verification;

/// <summary>What the network has seen of one host, as its reputation counts it: decided checks by majority, and leases
/// ended.</summary>
/// <param name="CapacityPassed">Capacity and spec checks the host passed by majority.</param>
/// <param name="CapacityFailed">Capacity and spec checks it failed by majority (each is a deceit slash).</param>
/// <param name="LivenessPassed">Liveness checks (one a minute) it passed: minutes seen up.</param>
/// <param name="LivenessFailed">Liveness checks it failed: minutes seen down.</param>
/// <param name="LeasesCompleted">Leases that ran to their end on this host.</param>
/// <param name="LeasesInterrupted">Leases cut short by the host (offline while serving, or paused by a slash).</param>
public sealed record HostTrackRecord(
    long CapacityPassed, long CapacityFailed, long LivenessPassed, long LivenessFailed, long LeasesCompleted, long LeasesInterrupted)
{
    /// <summary>A host nothing is known of yet.</summary>
    public static HostTrackRecord None { get; } = new(0, 0, 0, 0, 0, 0);
}
