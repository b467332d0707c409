using Microsoft.Extensions.Logging;

namespace Gpunet.Agent.Workloads;

/// <summary>Removes lease folders (<c>ROOT/leases/LEASE</c>, with the workload's files and <c>output.log</c>) once their
/// lease has been over for the retention time, so that a host keeps no tenant's data for longer than that.</summary>
/// <remarks>Thread-safe. Times come from the injected clock. A folder an earlier run of the agent left behind counts as
/// over since it or its <c>output.log</c> last changed (<see cref="RemoveLeftovers"/>). A lease that starts again on this
/// host (after a failover came back) keeps its folder until it is over again.</remarks>
internal sealed partial class LeaseFolders : IDisposable
{
    /// <summary>The longest retention: a timer of the system clock fires at most about 49.7 days (2^32 - 2 ms) ahead.</summary>
    public static readonly TimeSpan MaxRetention = TimeSpan.FromDays(45);

    private readonly string _leases;
    private readonly TimeSpan _retention;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Dictionary<string, ITimer> _removals = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private bool _disposed;

    /// <param name="root">The agent's work directory.</param>
    /// <param name="retention">How long a folder is kept after its lease is over; zero removes it at once.</param>
    public LeaseFolders(string root, TimeSpan retention, TimeProvider time, ILogger log)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retention, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(retention, MaxRetention);
        _leases = Path.Combine(Path.GetFullPath(root), "leases");
        _retention = retention;
        _time = time;
        _log = log;
    }

    /// <summary>The lease runs (again): its folder is not removed meanwhile.</summary>
    public void Started(string leaseId)
    {
        lock (_lock)
        {
            if (_removals.Remove(leaseId, out var timer))
                timer.Dispose();
        }
    }

    /// <summary>The lease is over: its folder goes once the retention time has passed.</summary>
    public void Ended(string leaseId) => RemoveAfter(leaseId, _retention);

    /// <summary>Schedules the removal of every folder no running lease has: those over for the retention time already go
    /// now. Call once at start, before any lease runs.</summary>
    public void RemoveLeftovers()
    {
        if (!Directory.Exists(_leases))
            return;
        var now = _time.GetUtcNow();
        foreach (var folder in Directory.EnumerateDirectories(_leases))
        {
            var log = Path.Combine(folder, "output.log");
            var changed = new DateTimeOffset(File.Exists(log)
                ? Max(Directory.GetLastWriteTimeUtc(folder), File.GetLastWriteTimeUtc(log))
                : Directory.GetLastWriteTimeUtc(folder));
            // The workload owned its folder and could date it in the future (touch -d 2100-01-01): never later than now.
            if (changed > now)
                changed = now;
            var left = _retention - (now - changed);
            RemoveAfter(Path.GetFileName(folder), left < TimeSpan.Zero ? TimeSpan.Zero : left);
        }
    }

    /// <summary>Stops every pending removal; the folders stay until the next start's <see cref="RemoveLeftovers"/>.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            foreach (var timer in _removals.Values)
                timer.Dispose();
            _removals.Clear();
        }
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private void RemoveAfter(string leaseId, TimeSpan delay)
    {
        if (delay == TimeSpan.Zero)
        {
            Remove(leaseId);
            return;
        }

        lock (_lock)
        {
            if (_disposed)
                return;
            if (_removals.Remove(leaseId, out var previous))
                previous.Dispose();
            ITimer? timer = null;
            // The callback takes the lock, so it sees the timer in the table even when it fires at once.
            timer = _time.CreateTimer(_ =>
            {
                lock (_lock)
                {
                    // Started again (or ended again) meanwhile, or stopped: this removal is no longer wanted.
                    if (_disposed || !_removals.TryGetValue(leaseId, out var current) || current != timer)
                        return;
                    _removals.Remove(leaseId);
                }

                Remove(leaseId);
            }, null, delay, Timeout.InfiniteTimeSpan);
            _removals[leaseId] = timer;
        }
    }

    private void Remove(string leaseId)
    {
        var folder = Path.Combine(_leases, leaseId);
        try
        {
            // The workload's processes are gone (its PID namespace ended with it), so nothing changes the folder meanwhile;
            // a link in it is removed, never followed.
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
            LogRemoved(_log, leaseId);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogRemoveFailed(_log, e, leaseId, folder);
        }
    }

    [LoggerMessage(EventId = 3106, Level = LogLevel.Debug, Message = "Lease {LeaseId}'s folder removed: its retention time has passed")]
    private static partial void LogRemoved(ILogger logger, string leaseId);

    [LoggerMessage(EventId = 3107, Level = LogLevel.Warning, Message = "Could not remove lease {LeaseId}'s folder {Folder}")]
    private static partial void LogRemoveFailed(ILogger logger, Exception exception, string leaseId, string folder);
}
