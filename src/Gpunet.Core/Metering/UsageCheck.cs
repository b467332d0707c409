using System.Globalization;

namespace Gpunet.Core.Metering;

/// <summary>The rules for one usage report: is it the host's lease, a period of its running time not billed yet, on the
/// lease's GPUs; and how much of it is billed (the part the coordinator heard the host).</summary>
/// <remarks>Pure: the signature is checked by the caller (it needs the operator's address), everything else here.</remarks>
public static class UsageCheck
{
    /// <summary>How far a report's end may be ahead of the coordinator's clock: 5 s of clock skew.</summary>
    public const long MaxSkewMs = 5_000;

    /// <summary>Longest period one report may cover: 1 hour (agents report every minute).</summary>
    public const long MaxPeriodMs = 3_600_000;

    /// <summary>How long after a lease's end its last reports are still taken: 10 minutes (the final report follows the
    /// end at once, or after a reconnect).</summary>
    public const long EndGraceMs = 600_000;

    /// <summary>Checks <paramref name="s"/> against <paramref name="lease"/>. Billed: the heard part of the period, up to
    /// the lease's end (time after the end is not billed).</summary>
    /// <param name="billedThroughMs">The end of the time already billed for the lease (the latest accepted report's end);
    /// <see cref="long.MinValue"/> when none.</param>
    /// <param name="nowMs">The coordinator's clock, Unix ms.</param>
    /// <param name="endGraceMs">How long after the lease's end its reports are still taken (<see cref="EndGraceMs"/> by
    /// default); epoch settlement waits as long before it closes the lease's escrow.</param>
    public static UsageDecision Check(UsageStatement s, LeaseFacts lease, long billedThroughMs, long nowMs, HeardTimeline heard, long endGraceMs = EndGraceMs)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(heard);
        var c = CultureInfo.InvariantCulture;
        if (s.ToUnixMs <= s.FromUnixMs)
            return UsageDecision.Refuse(UsageRefusal.Empty, string.Create(c, $"the period [{s.FromUnixMs}, {s.ToUnixMs}) is empty"));
        if (s.ToUnixMs - s.FromUnixMs > MaxPeriodMs)
            return UsageDecision.Refuse(UsageRefusal.TooLong, string.Create(c, $"the period is {s.ToUnixMs - s.FromUnixMs} ms; one report covers at most {MaxPeriodMs} ms"));
        if (s.ToUnixMs > nowMs + MaxSkewMs)
            return UsageDecision.Refuse(UsageRefusal.InFuture, string.Create(c, $"the period ends at {s.ToUnixMs}, {s.ToUnixMs - nowMs} ms after the coordinator's clock"));
        if (lease.HostId != s.HostId)
            return UsageDecision.Refuse(UsageRefusal.NotThisHostsLease, $"lease {s.LeaseId} is not on host {s.HostId}");
        if (lease.Attempt != s.Attempt)
        {
            return UsageDecision.Refuse(UsageRefusal.NotThisHostsLease,
                string.Create(c, $"the report is from attempt {s.Attempt} of lease {s.LeaseId}, which is on attempt {lease.Attempt}"));
        }
        if (lease.Gpus != s.Gpus || lease.GpuMilli != s.GpuMilli)
        {
            return UsageDecision.Refuse(UsageRefusal.GpuMismatch,
                string.Create(c, $"the report says {s.Gpus} GPU at {s.GpuMilli} milli, the lease holds {lease.Gpus} at {lease.GpuMilli}"));
        }

        if (lease.StartedUnixMs is not { } started)
            return UsageDecision.Refuse(UsageRefusal.LeaseNotRunning, $"lease {s.LeaseId} has not started");
        if (lease.EndedUnixMs is { } ended)
        {
            if (s.FromUnixMs >= ended)
                return UsageDecision.Refuse(UsageRefusal.LeaseNotRunning, string.Create(c, $"lease {s.LeaseId} ended at {ended}, before the period"));
            if (nowMs - ended > endGraceMs)
                return UsageDecision.Refuse(UsageRefusal.LeaseNotRunning, string.Create(c, $"lease {s.LeaseId} ended at {ended}, more than {endGraceMs} ms ago"));
        }

        if (s.FromUnixMs < started)
            return UsageDecision.Refuse(UsageRefusal.BeforeStart, string.Create(c, $"the period starts at {s.FromUnixMs}, before the lease started ({started})"));
        if (s.FromUnixMs < billedThroughMs)
            return UsageDecision.Refuse(UsageRefusal.AlreadyBilled, string.Create(c, $"the period starts at {s.FromUnixMs}; lease {s.LeaseId} is billed through {billedThroughMs}"));

        var to = lease.EndedUnixMs is { } end ? Math.Min(s.ToUnixMs, end) : s.ToUnixMs;
        return UsageDecision.Accept(heard.HeardMs(s.FromUnixMs, to));
    }
}
