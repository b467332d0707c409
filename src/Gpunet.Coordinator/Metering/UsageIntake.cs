using System.Globalization;
using Gpunet.Coordinator.Auth;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Marketplace;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;
using Gpunet.Core.Metering;
using Gpunet.Protocol;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Metering;

/// <summary>Takes the agents' signed usage reports: checks the signature against the host operator's address and the
/// period against the lease (its current attempt), the time already billed and the time the host was heard (<see cref="UsageCheck"/>), stores
/// what it accepts and answers every report with a <see cref="UsageAck"/>.</summary>
/// <remarks>
/// Singleton, thread-safe. Reports of one lease are checked one at a time (a per-lease gate), so a report and its resend
/// on a new stream cannot both be stored. The time billed for a lease (its latest stored report's end) is cached, read
/// from the store on the lease's first report, so a restarted coordinator keeps it; a lease's cache unused for
/// <see cref="IdleMs"/> (it ended, or its host went away) is dropped, and read again if a report comes after all. A refusal
/// changes nothing.
/// </remarks>
internal sealed partial class UsageIntake(
    IOptions<MeteringOptions> options, IOptions<HostsOptions> hosts, IOptions<AccessOptions> access,
    ISignatureScheme signatures,
    LeaseStore leases,
    UsageStore store,
    TimeProvider time,
    ILogger<UsageIntake> log)
{
    private readonly TimeSpan _heartbeatInterval = hosts.Value.HeartbeatInterval;
    private readonly string _networkId = access.Value.NetworkId;
    /// <summary>A lease's meter unused this long is dropped: 10 minutes, ten usage intervals.</summary>
    private const long IdleMs = 600_000;

    private readonly Dictionary<string, Meter> _meters = new(StringComparer.Ordinal);
    private long _sweptAtMs;

    /// <summary>Longest heartbeat silence that still counts as heard: two intervals and a little.</summary>
    public long MaxHeardGapMs => (long)(_heartbeatInterval.TotalMilliseconds * 2) + 500;

    /// <summary>Raised with each report's outcome: <c>accepted</c>, <c>replayed</c>, or the refusal's code.</summary>
    public event Action<string>? Reported;

    /// <summary>The host's heard timeline, made on its first registration here.</summary>
    public HeardTimeline Timeline(HostEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.HeardTimeline(MaxHeardGapMs);
    }

    /// <summary>Checks, stores if accepted, and returns the answer for the agent.</summary>
    public async Task<UsageAck> TakeAsync(HostEntry entry, UsageReport report, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(report);
        var (decision, outcome) = await DecideAsync(entry, report, ct);
        Reported?.Invoke(outcome);
        if (!decision.Accepted)
            LogRefused(log, entry.Id, report.LeaseId, report.Sequence, decision.Code, decision.Reason);
        return new UsageAck
        {
            LeaseId = report.LeaseId,
            Attempt = report.Attempt,
            Sequence = report.Sequence,
            Accepted = decision.Accepted,
            BilledMs = decision.BilledMs,
            Reason = decision.Reason,
            Code = decision.Accepted ? "" : decision.Code.ToString(),
        };
    }

    private async Task<(UsageDecision, string)> DecideAsync(HostEntry entry, UsageReport report, CancellationToken ct)
    {
        var statement = new UsageStatement(report.LeaseId, report.HostId, report.FromUnixMs, report.ToUnixMs, report.Gpus, report.GpuMilli, report.Sequence, report.Attempt);
        var @operator = Address.Parse(entry.Record.Address);
        CanonicalMessage signed;
        try
        {
            signed = statement.ToCanonical(_networkId, @operator);
        }
        catch (ArgumentException e)
        {
            return Refused(UsageRefusal.BadSignature, $"the report cannot be signed text: {e.Message}");
        }

        if (!signatures.Verify(signed, report.Signature))
            return Refused(UsageRefusal.BadSignature, $"the signature is not {@operator.Value}'s over this report");
        if (report.HostId != entry.Id)
            return Refused(UsageRefusal.NotThisHostsLease, $"the report names host {report.HostId}, this stream is host {entry.Id}");
        if (report.Sequence < 1)
            return Refused(UsageRefusal.SequenceReused, "sequence numbers start at 1");
        if (report.Attempt < 1)
            return Refused(UsageRefusal.NotThisHostsLease, "the report names no attempt of the lease (attempts start at 1; an agent older than the coordinator sends none)");

        var meter = Enter(report.LeaseId, time.GetUtcNow().ToUnixTimeMilliseconds());
        try
        {
            await meter.Gate.WaitAsync(ct);
        }
        catch
        {
            Leave(meter, locked: false);
            throw;
        }

        try
        {
            if (await store.FindAsync(report.LeaseId, report.Attempt, report.Sequence, ct) is { } stored)
                return Replay(stored, report);

            var lease = await leases.LeaseAsync(report.LeaseId, ct);
            if (lease is null)
                return Refused(UsageRefusal.NotThisHostsLease, $"there is no lease {report.LeaseId}");
            meter.BilledThroughMs ??= await store.BilledThroughAsync(report.LeaseId, ct) ?? long.MinValue;
            var now = time.GetUtcNow();
            var decision = UsageCheck.Check(statement, Facts(lease), meter.BilledThroughMs.Value, now.ToUnixTimeMilliseconds(), Timeline(entry),
                (long)options.Value.UsageLateness.TotalMilliseconds);
            if (!decision.Accepted)
                return (decision, decision.Code.ToString());

            var row = new LeaseUsageRecord
            {
                LeaseId = report.LeaseId,
                Attempt = report.Attempt,
                Sequence = report.Sequence,
                HostId = entry.Id,
                Operator = @operator.Value,
                FromMs = report.FromUnixMs,
                ToMs = report.ToUnixMs,
                ReportedMs = report.ToUnixMs - report.FromUnixMs,
                BilledMs = decision.BilledMs,
                Gpus = report.Gpus,
                GpuMilli = report.GpuMilli,
                Signature = report.Signature,
                ReceivedAt = now,
            };
            if (!await store.AddAsync(row, ct))
            {
                // Another coordinator stored this sequence meanwhile: answer as for a resend, and read the billed time again.
                meter.BilledThroughMs = null;
                return await store.FindAsync(report.LeaseId, report.Attempt, report.Sequence, ct) is { } theirs
                    ? Replay(theirs, report)
                    : Refused(UsageRefusal.SequenceReused, "the report could not be stored; send it again");
            }

            meter.BilledThroughMs = report.ToUnixMs;
            return (decision, "accepted");
        }
        finally
        {
            Leave(meter, locked: true);
        }
    }

    /// <summary>The lease's meter, counted as in use until <see cref="Leave"/>. Meters idle for <see cref="IdleMs"/> are
    /// dropped on the way (at most once per <see cref="IdleMs"/>). Users are counted under one lock, so a meter in use is
    /// never dropped and a lease never has two at once: its reports are always checked one at a time.</summary>
    private Meter Enter(string leaseId, long nowMs)
    {
        lock (_meters)
        {
            if (nowMs - _sweptAtMs > IdleMs)
            {
                _sweptAtMs = nowMs;
                foreach (var (id, idle) in _meters)
                {
                    if (idle.Users == 0 && nowMs - idle.UsedAtMs > IdleMs)
                    {
                        _meters.Remove(id);
                        idle.Gate.Dispose();
                    }
                }
            }

            if (!_meters.TryGetValue(leaseId, out var meter))
                _meters[leaseId] = meter = new Meter();
            meter.Users++;
            meter.UsedAtMs = nowMs;
            return meter;
        }
    }

    private void Leave(Meter meter, bool locked)
    {
        if (locked)
            meter.Gate.Release();
        lock (_meters)
            meter.Users--;
    }

    /// <summary>A report under a sequence already stored: the same report again is answered as before; another is refused.</summary>
    private static (UsageDecision, string) Replay(LeaseUsageRecord stored, UsageReport report)
    {
        if (stored.HostId == report.HostId && stored.FromMs == report.FromUnixMs && stored.ToMs == report.ToUnixMs
            && stored.Gpus == report.Gpus && stored.GpuMilli == report.GpuMilli)
            return (UsageDecision.Accept(stored.BilledMs), "replayed");
        return Refused(UsageRefusal.SequenceReused, string.Create(CultureInfo.InvariantCulture,
            $"lease {report.LeaseId} already has report {report.Sequence} of attempt {report.Attempt}, for [{stored.FromMs}, {stored.ToMs})"));
    }

    private static (UsageDecision, string) Refused(UsageRefusal code, string reason) => (UsageDecision.Refuse(code, reason), code.ToString());

    private static LeaseFacts Facts(LeaseRecord lease) => new(
        lease.HostId,
        lease.StartedAt?.ToUnixTimeMilliseconds(),
        lease.EndedAt?.ToUnixTimeMilliseconds(),
        lease.GpuIndices.Length == 0 ? 0 : lease.GpuIndices.Count(c => c == ',') + 1,
        lease.GpuMilli,
        lease.Attempt);

    /// <summary>One lease's metering state: a gate so its reports are checked one at a time, and the time billed.</summary>
    private sealed class Meter
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public long? BilledThroughMs { get; set; }

        /// <summary>Reports being checked or waiting for the gate; guarded by the meters' lock.</summary>
        public int Users { get; set; }

        /// <summary>When a report last used it, Unix ms; guarded by the meters' lock.</summary>
        public long UsedAtMs { get; set; }
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Usage report {Sequence} of lease {LeaseId} from host {HostId} refused ({Code}): {Reason}")]
    private static partial void LogRefused(ILogger logger, string hostId, string leaseId, long sequence, UsageRefusal code, string reason);
}
