using System.Globalization;

namespace Gpunet.Simulation;

/// <summary>What one chaos run simulates: the network's size, its timings (as the coordinator and agent defaults have
/// them, shortened where a run of a million steps needs more happening per step), and how often each fault strikes.</summary>
/// <remarks>Times are milliseconds of simulated time. Every random choice is drawn from <see cref="Seed"/>, so the same
/// options replay the same run step for step.</remarks>
public sealed record ChaosOptions
{
    /// <summary>The seed of every random choice in the run.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Steps to run: one step is one event (a message delivered, a timer, a fault) taken in time order.</summary>
    public long Steps { get; init; } = 100_000;

    /// <summary>Hosts on the network, each with <see cref="GpusPerHost"/> GPUs and its own agent.</summary>
    public int Hosts { get; init; } = 8;

    /// <summary>GPUs per host.</summary>
    public int GpusPerHost { get; init; } = 4;

    /// <summary>Customers placing orders.</summary>
    public int Customers { get; init; } = 4;

    /// <summary>How often agents send a heartbeat (the coordinator's health checks use the same interval).</summary>
    public long HeartbeatMs { get; init; } = 1_000;

    /// <summary>How often an agent reports each running lease's usage.</summary>
    public long UsageIntervalMs { get; init; } = 5_000;

    /// <summary>Silence after which a host goes Offline (and is slashed when it served a lease).</summary>
    public long OfflineGraceMs { get; init; } = 8_000;

    /// <summary>How long an agent's closed stream stays closed before its restartable leases move.</summary>
    public long StreamLossFailoverMs { get; init; } = 3_000;

    /// <summary>How often the coordinator stores when each host was heard: half a heartbeat, as <c>gpunet coordinator
    /// --heartbeat</c> sets it (at most 5 s).</summary>
    public long PersistHeardMs { get; init; } = 500;

    /// <summary>How long a silent connection lives before either side closes it (HTTP/2 keepalive).</summary>
    public long KeepaliveMs { get; init; } = 4_000;

    /// <summary>Epoch length: usage received in an epoch is charged at its settlement.</summary>
    public long EpochMs { get; init; } = 60_000;

    /// <summary>How long after an epoch (or a lease's end) its late usage reports are still taken.</summary>
    public long UsageLatenessMs { get; init; } = 20_000;

    /// <summary>How long an order waits for its first placement before it expires.</summary>
    public long QueueTimeoutMs { get; init; } = 120_000;

    /// <summary>How long a placed lease may take to start before it fails.</summary>
    public long StartTimeoutMs { get; init; } = 30_000;

    /// <summary>Mean time between faults (a crash, a freeze, a partition, a clock jump, a stretch of bad store writes).</summary>
    public long MeanTimeBetweenFaultsMs { get; init; } = 6_000;

    /// <summary>Share of connections broken at random (what was in flight on them is lost).</summary>
    public double BreakRate { get; init; } = 0.002;

    /// <summary>Share of agent messages delivered twice (a retrying proxy).</summary>
    public double DuplicateRate { get; init; } = 0.01;

    /// <summary>Share of a broken connection's messages in flight that still arrive, late, after newer ones.</summary>
    public double LateDeliveryRate { get; init; } = 0.3;

    /// <summary>Largest clock skew of an agent against the coordinator, either way.</summary>
    public long MaxSkewMs { get; init; } = 2_000;

    /// <summary>Whether faults are injected at all (false: the same network with nothing going wrong).</summary>
    public bool Faults { get; init; } = true;

    /// <summary>What is wrong with these options, one line each; empty when they can run.</summary>
    public IReadOnlyList<string> Validate()
    {
        var c = CultureInfo.InvariantCulture;
        var errors = new List<string>();
        if (Steps < 1)
            errors.Add("steps must be at least 1");
        if (Hosts is < 2 or > 1_000)
            errors.Add(string.Create(c, $"hosts must be 2 to 1000 (failover needs a second host), not {Hosts}"));
        if (GpusPerHost is < 1 or > 16)
            errors.Add(string.Create(c, $"GPUs per host must be 1 to 16, not {GpusPerHost}"));
        if (Customers is < 1 or > 1_000)
            errors.Add(string.Create(c, $"customers must be 1 to 1000, not {Customers}"));
        Positive(errors, HeartbeatMs, "heartbeat");
        Positive(errors, UsageIntervalMs, "usage interval");
        Positive(errors, PersistHeardMs, "persist-heard interval");
        Positive(errors, KeepaliveMs, "keepalive");
        Positive(errors, EpochMs, "epoch");
        Positive(errors, UsageLatenessMs, "usage lateness");
        Positive(errors, QueueTimeoutMs, "queue timeout");
        Positive(errors, StartTimeoutMs, "start timeout");
        Positive(errors, MeanTimeBetweenFaultsMs, "mean time between faults");
        if (OfflineGraceMs < 3 * HeartbeatMs)
            errors.Add("the offline grace must be at least three heartbeats");
        if (StreamLossFailoverMs <= 0 || StreamLossFailoverMs > OfflineGraceMs)
            errors.Add("the stream-loss failover must be positive and no longer than the offline grace");
        if (MaxSkewMs is < 0 or > 5_000)
            errors.Add("clock skew must be 0 to 5000 ms (the coordinator refuses reports more than 5 s ahead)");
        foreach (var (rate, name) in new[] { (BreakRate, "break"), (DuplicateRate, "duplicate"), (LateDeliveryRate, "late-delivery") })
        {
            if (rate is < 0 or > 0.5 || double.IsNaN(rate))
                errors.Add(string.Create(c, $"the {name} rate must be 0 to 0.5, not {rate}"));
        }

        return errors;
    }

    private static void Positive(List<string> errors, long value, string name)
    {
        if (value <= 0)
            errors.Add($"the {name} must be positive");
    }
}
