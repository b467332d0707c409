using System.Diagnostics;
using System.Threading.Channels;
using Gpunet.Protocol;
using Microsoft.Extensions.Logging;
using KillCause = Gpunet.Protocol.LeaseReport.Types.KillCause;
using Phase = Gpunet.Protocol.LeaseReport.Types.Phase;

namespace Gpunet.Agent.Workloads;

/// <summary>Runs the leases the coordinator starts on this host, and says what became of them: the agent's session
/// hands it <c>StartLease</c>, <c>StopLease</c> and <c>ForgetLease</c> commands and sends what <see cref="Outbox"/>
/// yields.</summary>
/// <remarks>Thread-safe; the commands never block on a workload. A lease is known from its start until
/// <see cref="Forget"/> (after it ended), so a resent start is ignored and an end is reported until the coordinator
/// has stored it. Times in reports and lines are Unix milliseconds from the injected clock.</remarks>
public sealed partial class LeaseSupervisor : IAsyncDisposable
{
    /// <summary>Log batches the outbox holds before it drops the oldest (the coordinator is away meanwhile).</summary>
    internal const int DefaultOutboxLogCapacity = 10_000;

    /// <summary>How long a lease's folder is kept after it is over, by default: a day.</summary>
    public static readonly TimeSpan DefaultFolderRetention = TimeSpan.FromDays(1);

    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Dictionary<string, IWorkloadRuntime> _runtimes;
    private readonly Dictionary<string, Lease> _leases = new(StringComparer.Ordinal);
    private readonly LeaseOutbox _outbox;
    private readonly LeaseFolders _folders;
    private readonly UsageSigner? _usage;
    private readonly TimeSpan _usageInterval;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private bool _disposed;

    /// <param name="root">The agent's work directory; workloads run in <c>ROOT/leases/LEASE</c>.</param>
    /// <param name="runtimes">The runtimes leases may ask for; default <see cref="ProcessRuntime"/> and <see cref="DockerRuntime"/>.</param>
    /// <param name="usage">Signs usage reports; null: none are sent.</param>
    /// <param name="usageInterval">How often a running lease's usage is reported; default 60 s.</param>
    /// <param name="folderRetention">How long a lease's folder (its files and <c>output.log</c>) is kept after it is
    /// over; default a day. Folders an earlier run left are removed on the same rule.</param>
    public LeaseSupervisor(string root, TimeProvider time, ILogger log, IEnumerable<IWorkloadRuntime>? runtimes = null,
        UsageSigner? usage = null, TimeSpan? usageInterval = null, TimeSpan? folderRetention = null)
        : this(root, time, log, runtimes, DefaultOutboxLogCapacity, usage, usageInterval, folderRetention)
    {
    }

    internal LeaseSupervisor(string root, TimeProvider time, ILogger log, IEnumerable<IWorkloadRuntime>? runtimes, int outboxLogCapacity,
        UsageSigner? usage = null, TimeSpan? usageInterval = null, TimeSpan? folderRetention = null)
    {
        _usage = usage;
        _usageInterval = usageInterval ?? TimeSpan.FromSeconds(60);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_usageInterval, TimeSpan.Zero, nameof(usageInterval));
        _time = time;
        _log = log;
        _runtimes = (runtimes ?? [new ProcessRuntime(root, time), new DockerRuntime(root, time)]).ToDictionary(r => r.Name, StringComparer.Ordinal);
        _outbox = new LeaseOutbox(outboxLogCapacity);
        _folders = new LeaseFolders(root, folderRetention ?? DefaultFolderRetention, time, log);
        _folders.RemoveLeftovers();
    }

    /// <summary>Messages for the coordinator, in order: a <see cref="LeaseReport"/> when a lease starts (RUNNING) and
    /// when it ends (EXITED, KILLED or START_FAILED), and <see cref="LeaseLog"/> batches of up to 256 lines or 100 ms
    /// in between. A lease's end report comes after its last lines. With a <see cref="UsageSigner"/>, a signed
    /// <see cref="UsageReport"/> of each running lease every usage interval, covering the time since the previous one,
    /// and a last one (the tail) just before its end report.</summary>
    /// <remarks>Bounded: while nobody reads, log batches beyond 10,000 are dropped oldest first and the lease's next
    /// lines start with a stderr line "[gpunet: N log lines dropped while disconnected]"; reports are never dropped.
    /// Completes after <see cref="DisposeAsync"/>.</remarks>
    public ChannelReader<AgentMessage> Outbox => _outbox;

    /// <summary>Starts a lease's workload without waiting for it; a lease already known is ignored, since the
    /// coordinator may resend. A start that cannot happen ends as START_FAILED with the reason.</summary>
    public void Start(StartLease command)
    {
        ArgumentNullException.ThrowIfNull(command);
        lock (_lock)
        {
            if (_disposed)
                return;
            // A coordinator older than attempts sends none: it is the first.
            var attempt = Math.Max(1, command.Attempt);
            if (_leases.TryGetValue(command.LeaseId, out var known))
            {
                // The same start again (a resend) is ignored; a later attempt of a lease that ended here (it moved away
                // and back) starts anew.
                if (attempt <= known.Attempt || !known.HasEnded)
                {
                    LogDuplicateStart(_log, command.LeaseId);
                    return;
                }

                _leases.Remove(command.LeaseId);
                _outbox.Forget(command.LeaseId);
            }

            var lease = new Lease(command.LeaseId, Report(command.LeaseId, Phase.Running, 0, "starting"))
            {
                Attempt = attempt,
                Gpus = command.GpuIndices.Count,
                GpuMilli = command.GpuMilli,
            };
            _leases[lease.Id] = lease;
            _folders.Started(lease.Id);
            var runtimeName = command.Runtime is { Length: > 0 } name ? name : "process";
            string? refusal = null;
            if (!WorkloadSpec.IsPlainName(command.LeaseId))
                refusal = $"lease id '{command.LeaseId}' is not a plain name (letters, digits, '-', '_')";
            else if (!_runtimes.TryGetValue(runtimeName, out var runtime))
                refusal = $"unknown runtime '{runtimeName}'";
            else if (!runtime.IsAvailable(out var reason))
                refusal = reason;
            else
            {
                var trace = AgentTelemetry.ParentOf(command.Traceparent);
                lease.Run = Task.Run(() => RunAsync(lease, runtime, Spec(command), trace));
                return;
            }

            AgentTelemetry.Failed(AgentTelemetry.StartLease(command.LeaseId, attempt, runtimeName, AgentTelemetry.ParentOf(command.Traceparent)), refusal);
            End(lease, Phase.StartFailed, 0, refusal);
        }
    }

    /// <summary>Kills a lease's workload; it ends as KILLED with <paramref name="reason"/>. An unknown or ended lease: nothing happens.</summary>
    public void Stop(string leaseId, string reason) => Stop(leaseId, WorkloadKill.Stop(reason));

    private void Stop(string leaseId, WorkloadKill kill)
    {
        IRunningWorkload? workload;
        lock (_lock)
        {
            if (!_leases.TryGetValue(leaseId, out var lease) || lease.HasEnded || lease.StopReason is not null)
                return;
            lease.StopReason = kill;
            workload = lease.Workload;
        }

        // A workload still starting is killed as soon as it has started.
        if (workload is not null)
            _ = KillAsync(leaseId, workload, kill);
    }

    /// <summary>Drops an ended lease's report, and its lines and usage reports sent on this stream and still waiting for an
    /// acknowledgement: the coordinator has stored its end. What this stream has not sent yet still goes (see
    /// <see cref="LeaseOutbox.Forget"/>). A running or unknown lease is kept as it is.</summary>
    public void Forget(string leaseId)
    {
        lock (_lock)
        {
            if (_leases.TryGetValue(leaseId, out var lease) && lease.HasEnded)
            {
                _leases.Remove(leaseId);
                _outbox.Forget(leaseId);
            }
        }
    }

    /// <summary>The coordinator stored a batch of lines (or will never take it): it is not sent again.</summary>
    public void Acknowledged(LogAck ack) => _outbox.Acknowledge(ack);

    /// <summary>The coordinator answered a usage report: it is not sent again.</summary>
    public void Acknowledged(UsageAck ack) => _outbox.Acknowledge(ack);

    /// <summary>The stream to the coordinator ended: each running lease's usage up to now is reported (sent on the next
    /// stream), so that no report spans the break.</summary>
    /// <remarks>A coordinator bills a report only for time it heard the host, and after a restart for the heard period the
    /// store held; the store keeps only the period the host is in, so a report spanning two breaks (two restarts) would
    /// be billed from the later return on, losing what was heard before it.</remarks>
    public void ReportUsageNow()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var lease in _leases.Values)
                ReportUsage(lease, now);
        }
    }

    /// <summary>A new stream to the coordinator: the lines and usage reports it has not acknowledged are sent again,
    /// before anything newer.</summary>
    public void ResendUnacknowledged() => _outbox.Rewind();

    /// <summary>One report per known lease, by lease id: RUNNING while it starts or runs, else how it ended. Sent with
    /// <c>Register</c>, so a coordinator that restarted or a stream that broke loses no start and no end.</summary>
    public IReadOnlyList<LeaseReport> Reports()
    {
        lock (_lock)
            return [.. _leases.Values.OrderBy(l => l.Id, StringComparer.Ordinal).Select(l => l.Report.Clone())];
    }

    /// <summary>Kills every running workload, waits for their ends to be reported, and completes <see cref="Outbox"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        List<Lease> leases;
        lock (_lock)
        {
            if (_disposed)
                return;
            _disposed = true;
            leases = [.. _leases.Values];
        }

        await _stopping.CancelAsync();
        foreach (var lease in leases)
            Stop(lease.Id, WorkloadKill.AgentStopping);
        await Task.WhenAll(leases.Select(l => l.Run));
        _folders.Dispose();
        _outbox.Complete();
        _stopping.Dispose();
    }

    private async Task RunAsync(Lease lease, IWorkloadRuntime runtime, WorkloadSpec spec, ActivityContext trace)
    {
        using var starting = AgentTelemetry.StartLease(lease.Id, lease.Attempt, runtime.Name, trace);
        IRunningWorkload workload;
        try
        {
            using (AgentTelemetry.StartWorkload())
                workload = await runtime.StartAsync(spec, _stopping.Token);
        }
#pragma warning disable CA1031 // Whatever a runtime throws, the lease could not start: the coordinator must hear why.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var reason = e is OperationCanceledException ? "agent stopping" : e.Message;
            AgentTelemetry.Failed(starting, reason);
            lock (_lock)
                End(lease, Phase.StartFailed, 0, reason);
            return;
        }

        WorkloadKill? stop;
        lock (_lock)
        {
            lease.Workload = workload;
            stop = lease.StopReason;
            lease.Report = Report(lease.Id, Phase.Running, 0, "");
            lease.Report.EndpointPort = workload.EndpointPort ?? 0;
            // Running time is metered from the start the coordinator is told of.
            lease.UsageFromMs = lease.Report.AtUnixMs;
            _outbox.Add(lease.Report.Clone());
        }

        AgentTelemetry.Running(starting);
        LogStarted(_log, lease.Id, runtime.Name);
        if (stop is not null)
            _ = KillAsync(lease.Id, workload, stop);
        using var metering = new CancellationTokenSource();
        var meter = _usage is null ? Task.CompletedTask : MeterAsync(lease, metering.Token);
        await LogBatches.ForwardAsync(lease.Id, lease.Attempt, workload.Lines, AgentTelemetry.MarkFirst<LeaseLog>(starting?.Context ?? default, _outbox.Add), _time);
        var code = await workload.Exited;
        await metering.CancelAsync();
        await meter;
        var killed = workload.KilledBecause;
        try
        {
            await workload.DisposeAsync();
        }
#pragma warning disable CA1031 // The workload has ended; failing to free it must not lose its end.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogCleanupFailed(_log, e, lease.Id);
        }

        lock (_lock)
            End(lease, killed is null ? Phase.Exited : Phase.Killed, code, killed?.Reason ?? "", killed?.Cause ?? KillCause.Unspecified);
    }

    /// <summary>Reports the lease's usage every usage interval until cancelled (the end reports the tail).</summary>
    private async Task MeterAsync(Lease lease, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_usageInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                lock (_lock)
                    ReportUsage(lease, _time.GetUtcNow().ToUnixTimeMilliseconds());
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Sends a signed report of the lease's running time since its last one, up to <paramref name="toMs"/>; the
    /// caller holds the lock.</summary>
    private void ReportUsage(Lease lease, long toMs)
    {
        if (_usage is null || lease.UsageFromMs is not { } from || toMs <= from)
            return;
        // One report covers at most an hour (the coordinator's rule): a longer stretch (a clock jump) goes in several.
        while (from < toMs)
        {
            var to = Math.Min(toMs, from + Core.Metering.UsageCheck.MaxPeriodMs);
            var report = _usage.Sign(lease.Id, lease.Attempt, from, to, lease.Gpus, lease.GpuMilli, lease.UsageSequence + 1);
            if (report is null)
                return;
            lease.UsageSequence++;
            lease.UsageFromMs = from = to;
            _outbox.Add(report);
        }
    }

    private async Task KillAsync(string leaseId, IRunningWorkload workload, WorkloadKill kill)
    {
        try
        {
            await workload.KillAsync(kill);
        }
#pragma warning disable CA1031 // A kill runs unobserved; a failure is logged, and the lease stays RUNNING for a later stop.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogKillFailed(_log, e, leaseId);
        }
    }

    /// <summary>Records and sends a lease's end; the caller holds the lock.</summary>
    private void End(Lease lease, Phase phase, int exitCode, string detail, KillCause cause = KillCause.Unspecified)
    {
        lease.Report = Report(lease.Id, phase, exitCode, detail);
        lease.Report.KillCause = cause;
        ReportUsage(lease, lease.Report.AtUnixMs);
        lease.UsageFromMs = null;
        lease.HasEnded = true;
        if (WorkloadSpec.IsPlainName(lease.Id))
            _folders.Ended(lease.Id);
        _outbox.Add(lease.Report.Clone());
        LogEnded(_log, lease.Id, phase, exitCode, detail);
    }

    private LeaseReport Report(string leaseId, Phase phase, int exitCode, string detail) => new()
    {
        LeaseId = leaseId,
        Phase = phase,
        ExitCode = exitCode,
        Detail = detail,
        AtUnixMs = _time.GetUtcNow().ToUnixTimeMilliseconds(),
    };

    internal static WorkloadSpec Spec(StartLease command) =>
        new(command.LeaseId, [.. command.Command], [.. command.GpuIndices],
            command.Environment.Count > 0 ? new Dictionary<string, string>(command.Environment, StringComparer.Ordinal) : null)
        {
            CpuMilli = command.CpuMilli,
            MemoryMib = command.MemoryMib,
            MaxRuntime = command.MaxSeconds > 0 ? TimeSpan.FromSeconds(command.MaxSeconds) : null,
            Port = command.Port > 0 ? command.Port : null,
            Endpoint = command.Endpoint,
            GpuMilli = command.GpuMilli > 0 ? command.GpuMilli : 1000,
        };

    /// <summary>A lease this host knows; fields other than <see cref="Run"/> are guarded by the supervisor's lock.</summary>
    private sealed class Lease(string id, LeaseReport report)
    {
        public string Id { get; } = id;

        public LeaseReport Report { get; set; } = report;

        public bool HasEnded { get; set; }

        public IRunningWorkload? Workload { get; set; }

        public WorkloadKill? StopReason { get; set; }

        /// <summary>Which placement of the lease runs here (from 1): its lines and usage reports are numbered per attempt.</summary>
        public int Attempt { get; init; }

        public int Gpus { get; init; }

        public int GpuMilli { get; init; }

        /// <summary>Where the next usage report starts (Unix ms); null before the workload runs and after its end.</summary>
        public long? UsageFromMs { get; set; }

        /// <summary>The last usage report's sequence number (an attempt's reports count from 1).</summary>
        public long UsageSequence { get; set; }

        public Task Run { get; set; } = Task.CompletedTask;
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Lease {LeaseId} started ({Runtime})")]
    private static partial void LogStarted(ILogger logger, string leaseId, string runtime);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Lease {LeaseId} ended: {Phase}, exit code {ExitCode} {Detail}")]
    private static partial void LogEnded(ILogger logger, string leaseId, Phase phase, int exitCode, string detail);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Debug, Message = "Lease {LeaseId} is already known; start ignored")]
    private static partial void LogDuplicateStart(ILogger logger, string leaseId);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "Could not kill lease {LeaseId}")]
    private static partial void LogKillFailed(ILogger logger, Exception exception, string leaseId);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Warning, Message = "Could not free lease {LeaseId}'s workload after it ended")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception, string leaseId);
}
