using Gpunet.Coordinator.Leadership;
using Gpunet.Coordinator.Storage;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Hosts;

/// <summary>Deletes host change rows older than <see cref="HostsOptions.ChangesRetention"/>, on the leader, every
/// <see cref="HostsOptions.ChangesSweepInterval"/>: without it the sequence grows by every registration and state change
/// for good.</summary>
/// <remarks>Batches of <see cref="Batch"/>, each its own statement, so a sweep never holds a long lock; at most
/// <see cref="MaxBatchesPerSweep"/> a sweep, the rest left to the next.</remarks>
internal sealed partial class HostChangeRetention(HostStore store, ILeadership leadership, IOptions<HostsOptions> options, TimeProvider time,
    ILogger<HostChangeRetention> log)
{
    public const int Batch = 5_000;
    public const int MaxBatchesPerSweep = 20;

    private DateTimeOffset _last = DateTimeOffset.MinValue;

    /// <summary>Sweeps when this coordinator leads and the last sweep is a sweep interval old; returns how many rows it
    /// deleted.</summary>
    public async Task<int> SweepIfDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (leadership.Fence is null || now - _last < options.Value.ChangesSweepInterval)
            return 0;
        _last = now;
        var cutoff = now - options.Value.ChangesRetention;
        var deleted = 0;
        try
        {
            for (var batch = 0; batch < MaxBatchesPerSweep; batch++)
            {
                var n = await store.DeleteChangesBeforeAsync(cutoff, Batch, ct);
                deleted += n;
                if (n < Batch)
                    break;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // What is left is deleted at the next sweep; the change feed reads on.
            LogSweepFailed(log, e, deleted);
        }

        if (deleted > 0)
            LogSwept(log, deleted, cutoff);
        return deleted;
    }

    [LoggerMessage(EventId = 2024, Level = LogLevel.Warning, Message = "Deleting old host change rows failed after {Count}; the next sweep goes on")]
    private static partial void LogSweepFailed(ILogger logger, Exception e, int count);

    [LoggerMessage(EventId = 2023, Level = LogLevel.Information, Message = "Deleted {Count} host change rows written before {Cutoff:o}")]
    private static partial void LogSwept(ILogger logger, int count, DateTimeOffset cutoff);
}
