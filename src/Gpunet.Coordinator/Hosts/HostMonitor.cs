using Gpunet.Coordinator.Agents;
using Gpunet.Coordinator.Compliance;
using Gpunet.Coordinator.Concurrency;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Hosts;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Hosts;

/// <summary>Runs the host health policy every tick, applies and stores its transitions, and writes last-heard
/// times to the store in batches.</summary>
/// <remarks>Transitions are the network leader's duty (<see cref="Leadership.ILeadership"/>): a follower evaluates (for
/// its metrics) but moves no host, and the leader's store write checks its fencing token in the same transaction; what a
/// refused write moved in memory is put back. Every coordinator writes the last-heard times of the hosts it hears.</remarks>
/// <remarks>A host is held by compliance and by its identity conflicts (<see cref="IdentityFlags"/>) alike: Paused, with
/// every reason in its state reason, and not matched.</remarks>
internal sealed partial class HostMonitor(
    HostRegistry registry,
    HostStore store,
    HostHealthPolicy policy,
    Auth.SignInChallenges challenges,
    HeartbeatCounter heartbeats,
    ComplianceService compliance,
    HostHolds holds,
    IdentityFlags identity,
    Leadership.ILeadership leadership,
    IOptions<HostsOptions> options,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<HostMonitor> log) : BackgroundService
{
    /// <summary>How finely last-heard and heard-since times are stored.</summary>
    private static readonly TimeSpan HeardTimeResolution = TimeSpan.FromMilliseconds(100);

    private readonly HostsOptions _options = options.Value;

    /// <summary>Silence after which a Ready host is Suspect (the policy's rule): a host not connected here and silent this
    /// long is looked up in the store first.</summary>
    private readonly TimeSpan _suspectWithin = options.Value.HeartbeatInterval * options.Value.SuspectAfterMissedHeartbeats;
    private readonly List<HostTransition> _unsaved = [];
    // What each unsaved transition moved the host from, to put back if the fence refuses it; and the fence it was decided under.
    private readonly List<(HostEntry Entry, HostState State, string Reason, DateTimeOffset Since)> _priors = [];
    private Leadership.LeaderFence? _decidedAs;
    private readonly List<HostTransition> _unaudited = [];
    private DateTimeOffset _startedAt;
    private DateTimeOffset _lastHeardFlush;
    private bool _wasHeld;
    private long _lastCount;
    private long _lastCountTimestamp;
    private readonly TimeSpan _stallAfter = CoordinatorStall.LongestLateness(options.Value.HeartbeatInterval, options.Value.MonitorInterval);
    private DateTimeOffset? _resumedAt;

    // Completes once the application has started (its listeners open); at once if it already has.
    private async Task ListeningAsync(CancellationToken ct)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var onStart = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await using var onStop = ct.Register(() => started.TrySetCanceled(ct));
        await started.Task;
    }

    /// <summary>The latest evaluation, for metrics and the network summary.</summary>
    public HostHealthEvaluation? Last { get; private set; }

    /// <summary>Heartbeats received per second over the last monitor interval.</summary>
    public double HeartbeatsPerSecond { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Silence counts from when agents can reach this coordinator: its listeners open only after the hosted services
        // have started, and a slow start (a large store, a loaded machine) must not use up the hosts' grace (a bench of
        // coordinator kills saw a 20 s start mark a heard host Offline and slash it).
        try
        {
            await ListeningAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        _startedAt = time.GetUtcNow();
        _lastHeardFlush = _startedAt;
        using var timer = new LoopTimer(_options.MonitorInterval, time);
        var failures = 0;
        try
        {
            while (await WaitAsync(timer, stoppingToken))
            {
                if (timer.Lateness > _stallAfter)
                {
                    // The process stood still (its timer woke that late): the heartbeats of that time are still queued
                    // behind it, and silence until now is the coordinator's, not the hosts'.
                    _resumedAt = time.GetUtcNow();
                    LogStalled(log, timer.Lateness.TotalSeconds);
                }

                try
                {
                    // Store writes are not cancelled by shutdown: a transition decided is a transition kept.
                    await TickAsync(CancellationToken.None);
                    failures = 0;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Back off on a failing store, but keep going: the next tick retries what was not saved.
                    failures++;
                    LogTickFailed(log, e, failures);
                    await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, 1 << Math.Min(failures, 5))), time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Shutting down: save what is pending so a restart sees it.
            try
            {
                await FlushAsync(time.GetUtcNow(), CancellationToken.None, force: true);
            }
#pragma warning disable CA1031 // best effort at shutdown; logged
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogTickFailed(log, e, 0);
            }
        }
    }

    private static async Task<bool> WaitAsync(LoopTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>One evaluation; public to tests through the assembly's internals.</summary>
    internal async Task TickAsync(CancellationToken ct)
    {
        var now = StoreTime.Now(time);
        var samples = new List<HostHealthSample>(registry.Count);
        List<(int Sample, HostEntry Entry)>? silentHere = null;
        foreach (var e in registry.Entries)
        {
            var (state, reason, since) = e.Snapshot();
            // Compliance's hold, then a failed check's, then an identity conflict's: one reason naming each.
            var hold = HostHold.Compose(compliance.HostHold(e), holds.ReasonOf(e.Id), identity.HoldOf(e.Id, now));
            var heard = e.LastHeardAt;
            // Connected elsewhere: a Ready host is read once it would count as silent; a Pending, Suspect or Paused one
            // each tick, since only a heartbeat after its state changed (heard by whichever coordinator) moves it on.
            if (!e.Connected && state != HostState.Offline && (state != HostState.Ready || heard is not { } h || now - h >= _suspectWithin))
                (silentHere ??= []).Add((samples.Count, e));
            samples.Add(new HostHealthSample(e.Id, state, since, e.Record.Country, heard, hold, reason));
        }

        if (silentHere is not null)
            await HeardElsewhereAsync(samples, silentHere, ct);

        var evaluation = policy.Evaluate(samples, now, _startedAt, _resumedAt);
        Last = evaluation;
        var count = heartbeats.Count;
        var stamp = time.GetTimestamp();
        if (_lastCountTimestamp != 0)
            HeartbeatsPerSecond = (count - _lastCount) / time.GetElapsedTime(_lastCountTimestamp, stamp).TotalSeconds;
        (_lastCount, _lastCountTimestamp) = (count, stamp);
        List<HostTransition>? gated = null;
        // Only the leader moves hosts; transitions not saved yet stay under the fence they were decided with.
        var fence = leadership.Fence;
        if (_unsaved.Count == 0)
            _decidedAs = fence;
        IReadOnlyList<HostTransition> decided = fence is not null && fence == _decidedAs ? evaluation.Transitions : [];
        foreach (var t in decided)
        {
            var prior = registry.TryGet(t.HostId, out var entry) ? entry.Snapshot() : default;
            if (entry is not null && entry.TryTransition(t.From, t.To, t.Reason, t.At))
            {
                _unsaved.Add(t);
                _priors.Add((entry, prior.State, prior.Reason, prior.Since));
                LogTransition(log, t.HostId, t.From, t.To, t.Reason);
                if (ComplianceService.IsGateDecision(t))
                    (gated ??= []).Add(t);
            }
        }

        if (evaluation.OfflineTransitionsHeld != _wasHeld)
        {
            _wasHeld = evaluation.OfflineTransitionsHeld;
            if (_wasHeld)
                LogHeld(log, evaluation.HeldReason ?? "mass silence");
            else
                LogReleased(log);
        }

        challenges.Sweep(now);
        if (gated is not null)
            _unaudited.AddRange(gated);
        await FlushAsync(now, ct);
        if (_unaudited.Count > 0)
        {
            // Kept until recorded: a failing store is retried at the next tick.
            await compliance.RecordGateDecisionsAsync(_unaudited, ct);
            _unaudited.Clear();
        }
    }

    /// <summary>Hosts whose agent is not connected here and that would count as silent: a host's liveness is decided
    /// from the freshest heartbeat any coordinator heard, so the store's last-heard time (written by whichever coordinator
    /// hears it, every <see cref="HostsOptions.PersistHeardEvery"/>) is taken where it is later. Only hosts at the edge of
    /// a transition are read: a Ready host about once a suspect window, one waiting for a heartbeat to move on each tick.</summary>
    private async Task HeardElsewhereAsync(List<HostHealthSample> samples, List<(int Sample, HostEntry Entry)> silent, CancellationToken ct)
    {
        var heard = await store.LastHeardAsync([.. silent.Select(s => s.Entry.Id)], ct);
        if (heard.Count == 0)
            return;
        var byId = heard.ToDictionary(h => h.Id, h => h.LastHeardAt, StringComparer.Ordinal);
        foreach (var (i, e) in silent)
        {
            if (!byId.TryGetValue(e.Id, out var at))
                continue;
            e.HeardElsewhere(at);
            samples[i] = samples[i] with { LastHeardAt = e.LastHeardAt };
        }
    }

    private async Task FlushAsync(DateTimeOffset now, CancellationToken ct, bool force = false)
    {
        if (_unsaved.Count > 0)
        {
            try
            {
                await store.ApplyTransitionsAsync(_unsaved, _decidedAs, ct);
            }
            catch (Leadership.LeadershipLostException e)
            {
                // Another coordinator leads now: what this one decided is undone here, and decided there.
                for (var i = _priors.Count - 1; i >= 0; i--)
                    _priors[i].Entry.TryTransition(_unsaved[i].To, _priors[i].State, _priors[i].Reason, _priors[i].Since);
                _unaudited.RemoveAll(_unsaved.Contains);
                LogNotLeader(log, _unsaved.Count, e.Message);
            }

            _unsaved.Clear();
            _priors.Clear();
        }

        if (!force && now - _lastHeardFlush < _options.PersistHeardEvery)
            return;

        // Hosts grouped by the tenth of a second they were last heard in: a few statements per flush (at most one per
        // tenth of the flush period), and the stored time is the real one, to the tenth, never later. With it goes since
        // when each was heard without a longer silence than the heard gap, so a restarted coordinator still bills that
        // span (HeardTimeline.Seed): rounded up to the tenth, never earlier; written only when it changed, which is at a
        // host's return after a silence. Each rounding costs a crash up to a tenth of a second of billing (whole seconds
        // cost about 1 s per crash: gpunet bench kills measured it).
        var lastHeard = new Dictionary<long, List<string>>();
        var heardSince = new Dictionary<long, List<string>>();
        var written = new List<(HostEntry Entry, long Ticks, DateTimeOffset Since)>();
        foreach (var e in registry.Entries)
        {
            var t = e.LastHeardUtcTicks;
            // What another coordinator heard and stored is not written back (it is no later than what it stored).
            if (t <= e.PersistedHeardUtcTicks || t <= e.HeardElsewhereUtcTicks)
                continue;
            var tenth = new DateTimeOffset(t - t % HeardTimeResolution.Ticks, TimeSpan.Zero);
            // Not heard at the stored tenth (the heartbeat came later in it, or the timeline is not made yet): a
            // heard-since after the last-heard time, which seeds nothing.
            var resolutionMs = (long)HeardTimeResolution.TotalMilliseconds;
            var since = e.HeardTimelineIfMade?.HeardSinceMs(tenth.ToUnixTimeMilliseconds()) is { } sinceMs
                ? DateTimeOffset.FromUnixTimeMilliseconds((sinceMs + resolutionMs - 1) / resolutionMs * resolutionMs)
                : tenth + HeardTimeResolution;
            Add(lastHeard, tenth.UtcTicks, e.Id);
            if (since != e.PersistedHeardSince)
                Add(heardSince, since.UtcTicks, e.Id);
            written.Add((e, t, since));
        }

        await store.TouchHeardAsync(Groups(lastHeard), Groups(heardSince), ct);
        foreach (var (e, t, since) in written)
        {
            e.PersistedHeardUtcTicks = t;
            e.PersistedHeardSince = since;
        }

        _lastHeardFlush = now;
    }

    private static void Add(Dictionary<long, List<string>> groups, long utcTicks, string hostId)
    {
        if (!groups.TryGetValue(utcTicks, out var ids))
            groups[utcTicks] = ids = [];
        ids.Add(hostId);
    }

    private static IEnumerable<(DateTimeOffset, IReadOnlyCollection<string>)> Groups(Dictionary<long, List<string>> groups) =>
        groups.Select(g => (new DateTimeOffset(g.Key, TimeSpan.Zero), (IReadOnlyCollection<string>)g.Value));

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Host {HostId}: {From} -> {To} ({Reason})")]
    private static partial void LogTransition(ILogger logger, string hostId, HostState from, HostState to, string reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Offline transitions held: {Reason}")]
    private static partial void LogHeld(ILogger logger, string reason);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Offline transitions resumed: hosts are being heard again")]
    private static partial void LogReleased(ILogger logger);

    [LoggerMessage(EventId = 2019, Level = LogLevel.Warning, Message = "{Count} host transition(s) refused by the leader fence: {Reason}")]
    private static partial void LogNotLeader(ILogger logger, int count, string reason);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning,
        Message = "The host monitor woke {Seconds:0.0} s late: the coordinator stalled; hosts' silence counts from now")]
    private static partial void LogStalled(ILogger logger, double seconds);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error, Message = "Host monitor tick failed ({Failures} in a row)")]
    private static partial void LogTickFailed(ILogger logger, Exception e, int failures);
}
