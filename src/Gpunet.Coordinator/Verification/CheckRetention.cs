using Gpunet.Coordinator.Storage;
using Gpunet.Core.Verification;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Verification;

/// <summary>Deletes passed liveness and service checks, with their reports and the probe refusals recorded on them, once
/// they are older than <see cref="VerificationOptions.ChecksRetention"/>: a host gets one of each a minute, and nothing
/// reads them that far back. Refusals older than that on checks the store does not hold (a report or probe naming a
/// check that never was) go too.</summary>
/// <remarks>Failed and undecided checks, capacity checks and honeypots are kept for good: they are the evidence of slashes,
/// holds and checkers' incorrect marks, and there are few of them (a capacity check a day per host). Deletes in batches of
/// <see cref="VerificationOptions.RetentionBatch"/>, each its own statement, so a sweep never holds a long lock; at most
/// <see cref="MaxBatchesPerSweep"/> a sweep, the rest left to the next.</remarks>
internal sealed partial class CheckRetention(IDbContextFactory<GpunetDb> store, IOptions<VerificationOptions> options, TimeProvider time,
    ILogger<CheckRetention> log)
{
    /// <summary>Most batches one sweep deletes.</summary>
    public const int MaxBatchesPerSweep = 50;

    private readonly VerificationOptions _options = options.Value;

    /// <summary>Deletes what is past the retention; returns how many checks it deleted.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var cutoff = time.GetUtcNow() - _options.ChecksRetention;
        var deleted = 0;
        for (var batch = 0; batch < MaxBatchesPerSweep; batch++)
        {
            await using var db = await store.CreateDbContextAsync(ct);
            var ids = await db.Checks.AsNoTracking()
                .Where(c => (c.Kind == CheckKind.Liveness || c.Kind == CheckKind.Service) && !c.Honeypot
                    && c.Outcome == CheckOutcomes.Passed && c.DecidedAt < cutoff)
                .OrderBy(c => c.DecidedAt).Select(c => c.Id).Take(_options.RetentionBatch).ToListAsync(ct);
            if (ids.Count == 0)
                break;
            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                await db.CheckReports.Where(r => ids.Contains(r.CheckId)).ExecuteDeleteAsync(ct);
                await db.CheckRefusals.Where(r => ids.Contains(r.CheckId)).ExecuteDeleteAsync(ct);
                await db.Checks.Where(c => ids.Contains(c.Id)).ExecuteDeleteAsync(ct);
                await tx.CommitAsync(ct);
            }

            deleted += ids.Count;
            if (ids.Count < _options.RetentionBatch)
                break;
        }

        if (deleted > 0)
            LogSwept(log, deleted, cutoff);
        var strays = await SweepStrayRefusalsAsync(cutoff, ct);
        if (strays > 0)
            LogStraysSwept(log, strays, cutoff);
        return deleted;
    }

    // Refusals naming no stored check (forged or mistyped ids, counted against their sender when recorded), past the
    // retention: nothing shows them any more.
    private async Task<int> SweepStrayRefusalsAsync(DateTimeOffset cutoff, CancellationToken ct)
    {
        var deleted = 0;
        for (var batch = 0; batch < MaxBatchesPerSweep; batch++)
        {
            await using var db = await store.CreateDbContextAsync(ct);
            var ids = await db.CheckRefusals.AsNoTracking()
                .Where(r => r.At < cutoff && !db.Checks.Any(c => c.Id == r.CheckId))
                .OrderBy(r => r.Id).Select(r => r.Id).Take(_options.RetentionBatch).ToListAsync(ct);
            if (ids.Count == 0)
                break;
            deleted += await db.CheckRefusals.Where(r => ids.Contains(r.Id)).ExecuteDeleteAsync(ct);
            if (ids.Count < _options.RetentionBatch)
                break;
        }

        return deleted;
    }

    [LoggerMessage(EventId = 7050, Level = LogLevel.Information, Message = "Deleted {Count} passed liveness and service checks decided before {Cutoff:o}")]
    private static partial void LogSwept(ILogger logger, int count, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 7051, Level = LogLevel.Information, Message = "Deleted {Count} probe refusals recorded before {Cutoff:o} on checks the store does not hold")]
    private static partial void LogStraysSwept(ILogger logger, int count, DateTimeOffset cutoff);
}
