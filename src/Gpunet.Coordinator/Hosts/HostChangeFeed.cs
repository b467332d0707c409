using Gpunet.Coordinator.Concurrency;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Hosts;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gpunet.Coordinator.Hosts;

/// <summary>Keeps the registry in step with what other coordinators of the store change: it reads the host change
/// sequence (<see cref="HostChangeRecord"/>) after the last number it took, and adopts the changed hosts as stored.</summary>
/// <remarks>
/// <para>On PostgreSQL it listens on the <c>gpunet_host_changes</c> channel (notified by a trigger on every insert) on a
/// connection of its own and reads at once; on SQLite, which has no notifications, it reads every
/// <see cref="HostsOptions.RegistryPollInterval"/>. On both the periodic read is the catch-up: a notification lost with a
/// dropped connection costs one interval, never a change.</para>
/// <para>Everything it reads bumps <see cref="Version"/>, which the market watches: a lease another coordinator placed on
/// (or ended on) a host whose agent is connected here is then picked up at the market's next tick.</para>
/// </remarks>
internal sealed partial class HostChangeFeed(
    HostRegistry registry,
    HostStore store,
    OwnHostChanges own,
    HostChangeRetention retention,
    StoreConnection connection,
    IOptions<HostsOptions> options,
    TimeProvider time,
    ILogger<HostChangeFeed> log) : BackgroundService
{
    /// <summary>The notification channel; the <c>HostChangeSequence</c> migration's trigger notifies it.</summary>
    public const string Channel = "gpunet_host_changes";

    private const int BatchSize = 1_000;

    /// <summary>How long a skipped sequence number is waited for: longer than any write transaction runs (the market gives
    /// up on the store after 30 s).</summary>
    private static readonly TimeSpan GapWait = TimeSpan.FromMinutes(1);

    private readonly TimeSpan _interval = options.Value.RegistryPollInterval;
    private CancellationTokenSource? _wait;
    private int _nudged;
    private long _version;

    /// <summary>Grows with every read that found changes: the market looks at other coordinators' changes when it moved.</summary>
    public long Version => Interlocked.Read(ref _version);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var cursor = new ChangeSequenceCursor(registry.ChangesLoadedAfter, GapWait);
        var listening = connection.Provider == StoreProvider.Postgres ? ListenAsync(stoppingToken) : Task.CompletedTask;
        using var timer = new LoopTimer(_interval, time);
        var failures = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                Volatile.Write(ref _nudged, 0);
                try
                {
                    await CatchUpAsync(cursor, stoppingToken);
                    await retention.SweepIfDueAsync(stoppingToken);
                    failures = 0;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The next round reads again from the same place: nothing is lost, only late.
                    LogReadFailed(log, e, ++failures);
                }

                if (!await WaitAsync(timer, stoppingToken))
                    break;
            }
        }
        finally
        {
            await listening;
        }
    }

    /// <summary>Waits for the next round: a tick of the poll interval, or a notification (which cuts the wait short).</summary>
    private async Task<bool> WaitAsync(LoopTimer timer, CancellationToken ct)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Volatile.Write(ref _wait, wait);
        try
        {
            // A notification that came while the last round read is taken now.
            if (Volatile.Read(ref _nudged) == 1)
                return true;
            return await timer.WaitForNextTickAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        finally
        {
            Volatile.Write(ref _wait, null);
        }
    }

    /// <summary>Reads every change after the cursor, in batches, and adopts the hosts they are about.</summary>
    internal async Task CatchUpAsync(ChangeSequenceCursor cursor, CancellationToken ct)
    {
        while (true)
        {
            var changes = await store.ChangesAfterAsync(cursor.ReadAfter, BatchSize, ct);
            // This coordinator's own registrations and transitions are in its registry already.
            var fresh = cursor.Take(changes.Select(c => c.Id), time.GetUtcNow().ToUnixTimeMilliseconds()).Where(id => !own.Passes(id)).ToHashSet();
            var hosts = changes.Where(c => fresh.Contains(c.Id)).Select(c => c.HostId).ToHashSet(StringComparer.Ordinal);
            if (hosts.Count > 0)
            {
                var changed = registry.Adopt(await store.HostsAsync(hosts, ct));
                Interlocked.Increment(ref _version);
                LogAdopted(log, hosts.Count, changed, cursor.After);
            }

            if (changes.Count < BatchSize)
                return;
        }
    }

    /// <summary>Listens for notifications on a connection of its own; reconnects after a failure (the periodic read
    /// covers what was notified meanwhile).</summary>
    private async Task ListenAsync(CancellationToken ct)
    {
        await Task.Yield();
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                // No pooling: a listening connection is not handed to anyone else, and is closed with the loop.
                var listen = new NpgsqlConnectionStringBuilder(connection.ConnectionString) { Pooling = false, KeepAlive = 30 };
                await using var db = new NpgsqlConnection(listen.ConnectionString);
                await db.OpenAsync(ct);
                db.Notification += (_, _) => Nudge();
                await using (var command = new NpgsqlCommand($"LISTEN {Channel}", db))
                    await command.ExecuteNonQueryAsync(ct);
                failures = 0;
                // Changes made while the connection was down are read at once.
                Nudge();
                while (true)
                    await db.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
            {
                LogListenFailed(log, e, ++failures);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, 1 << Math.Min(failures, 5))), time, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Nudge()
    {
        Volatile.Write(ref _nudged, 1);
        try
        {
            Volatile.Read(ref _wait)?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The wait just ended: the flag is read before the next one.
        }
    }

    [LoggerMessage(EventId = 2020, Level = LogLevel.Debug, Message = "Host changes read: {Hosts} host(s), {Changed} entry change(s), through {Sequence}")]
    private static partial void LogAdopted(ILogger logger, int hosts, int changed, long sequence);

    [LoggerMessage(EventId = 2021, Level = LogLevel.Warning, Message = "Reading host changes failed ({Failures} in a row); retrying at the next round")]
    private static partial void LogReadFailed(ILogger logger, Exception e, int failures);

    [LoggerMessage(EventId = 2022, Level = LogLevel.Warning, Message = "Listening for host changes failed ({Failures} in a row); reading every interval meanwhile")]
    private static partial void LogListenFailed(ILogger logger, Exception e, int failures);
}
