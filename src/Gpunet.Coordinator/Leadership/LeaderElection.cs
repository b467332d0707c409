using Gpunet.Coordinator.Concurrency;
using Gpunet.Coordinator.Observability;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Coordination;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Leadership;

/// <summary>Elects one coordinator of those over a store to run the network's duties: the leader renews the lease row
/// every <see cref="LeadershipOptions.LeaderRenewInterval"/>; a follower reads it as often and takes it, with the next
/// fencing token, once it stood still for <see cref="LeadershipOptions.LeaderLease"/> on the follower's own clock.</summary>
/// <remarks>A lease row rather than PostgreSQL's advisory locks: the same statements work on SQLite (one file shared by
/// several coordinators, the devnet's default) and PostgreSQL, the token is a plain column a duty's transaction checks,
/// and a lock tied to one connection would be lost, with no token to fence the old holder's writes, whenever the pool
/// recycled it. A clean stop gives the lease up, so the next leader takes over at its next read.</remarks>
internal sealed partial class LeaderElection : BackgroundService
{
    private readonly LeadershipState _leadership;
    private readonly LeadershipStore _store;
    private readonly LeadershipOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<LeaderElection> _log;
    private readonly long _start;
    private LeaderLeaseWatch _watch;

    public LeaderElection(LeadershipState leadership, LeadershipStore store, IOptions<LeadershipOptions> options, TimeProvider time, CoordinatorMetrics metrics,
        ILogger<LeaderElection> log)
    {
        _leadership = leadership;
        _store = store;
        _options = options.Value;
        _time = time;
        _log = log;
        _start = time.GetTimestamp();
        var leads = metrics.Factory.CreateGauge("gpunet_leader", "1 while this coordinator leads the network (runs settlement, host transitions, the compliance sweep and the market's time-outs).");
        var token = metrics.Factory.CreateGauge("gpunet_leader_token", "The fencing token of the network's leader lease, as this coordinator last read it.");
        metrics.Registry.AddBeforeCollectCallback(() =>
        {
            leads.Set(_leadership.Fence is null ? 0 : 1);
            token.Set(_leadership.Leader?.Token ?? 0);
        });
    }

    /// <summary>While set, this coordinator neither renews nor reads the lease, as a process paused by the system
    /// (a long GC, SIGSTOP) would not: for the tests of the fence.</summary>
    internal bool Frozen { get; set; }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // One round before the duties start: a coordinator alone, or restarted after a clean stop, leads from their first tick.
        await TryRoundAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new LoopTimer(_options.LeaderRenewInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await TryRoundAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // The duties stopped first (hosted services stop in reverse order): the lease is given up for the next leader.
        if (_leadership.Held is { } mine && !Frozen)
        {
            try
            {
                await _store.ReleaseAsync(mine, StoreTime.Now(_time), CancellationToken.None);
                LogGaveUp(_log, mine.Holder, mine.Token);
            }
#pragma warning disable CA1031 // best effort at shutdown: the lease then lapses by itself
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogRoundFailed(_log, e);
            }

            _leadership.Follows(null);
        }
    }

    private async Task TryRoundAsync(CancellationToken ct)
    {
        try
        {
            await RoundAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A store that fails: a leader stops counting itself one when its lease runs out (LeadershipState.Fence).
            LogRoundFailed(_log, e);
        }
    }

    /// <summary>One renewal, or one read of the lease and a take-over where it lapsed.</summary>
    internal async Task RoundAsync(CancellationToken ct)
    {
        if (Frozen)
            return;
        var at = _time.GetTimestamp();
        var now = StoreTime.Now(_time);
        var length = _options.LeaderLease;
        var me = _leadership.CoordinatorId;
        if (_leadership.Held is { } mine)
        {
            if (await _store.RenewAsync(mine, now, length, ct))
            {
                _leadership.Holds(mine, at);
                return;
            }

            _leadership.Follows(null);
            LogLost(_log, mine.Holder, mine.Token);
        }

        if (await _store.ReadAsync(ct) is not { } seen)
        {
            if (await _store.ClaimFirstAsync(me, now, length, ct))
                Won(new LeaderFence(me, 1), at, null);
            return;
        }

        _leadership.Follows(seen);
        var elapsed = _time.GetElapsedTime(_start);
        _watch = _watch.Observe(seen, elapsed);
        if (_watch.MayTake(me, elapsed, length) && await _store.TakeAsync(seen, me, now, length, ct))
            Won(new LeaderFence(me, seen.Token + 1), at, seen.Released ? null : seen.Holder);
    }

    private void Won(LeaderFence fence, long at, string? from)
    {
        _leadership.Holds(fence, at);
        LogLeads(_log, fence.Holder, fence.Token, from ?? "nobody");
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "Coordinator {Holder} leads the network with token {Token} (the lease was {From}'s)")]
    private static partial void LogLeads(ILogger logger, string holder, long token, string from);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "Coordinator {Holder} lost the leader lease (token {Token}): another coordinator took it")]
    private static partial void LogLost(ILogger logger, string holder, long token);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Information, Message = "Coordinator {Holder} gave the leader lease up (token {Token})")]
    private static partial void LogGaveUp(ILogger logger, string holder, long token);

    [LoggerMessage(EventId = 9004, Level = LogLevel.Error, Message = "Leader election round failed; retrying at the next")]
    private static partial void LogRoundFailed(ILogger logger, Exception e);
}
