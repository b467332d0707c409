using System.Data.Common;
using System.Diagnostics;
using Gpunet.Coordinator.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Gpunet.SettlementCrashHost;

/// <summary>Kills the process inside the <paramref name="nth"/> transaction that <paramref name="matches"/> (a store write
/// the coordinator makes through EF Core), after its writes and before its commit: like a power cut at that moment.
/// Prints <paramref name="marker"/> first.</summary>
internal sealed class KilledCommit(string marker, string what, int nth, Func<DbContext, bool> matches) : DbTransactionInterceptor
{
    private int _seen;

    public override async ValueTask<InterceptionResult> TransactionCommittingAsync(
        DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } db && matches(db) && Interlocked.Increment(ref _seen) == nth)
            await KillAsync(marker, $"{what} (number {nth})");
        return result;
    }

    /// <summary>A lease moving from Pending to Starting: the placement's lease step (its capacity and allocation rows
    /// are committed just before, in their own transaction).</summary>
    public static bool Placement(DbContext db) =>
        db.ChangeTracker.Entries<LeaseRecord>().Any(e => e.State == EntityState.Modified && e.Entity.State == "Starting");

    /// <summary>A lease ended because a compliance rule now forbids it (a policy re-evaluation ends them one by one).</summary>
    public static bool ComplianceEnd(DbContext db) =>
        db.ChangeTracker.Entries<LeaseRecord>().Any(e => e.State == EntityState.Modified && e.Entity.EndReason == "compliance");

    /// <summary>Prints <paramref name="marker"/> with <paramref name="inside"/> and kills the process (SIGKILL).</summary>
    public static async Task KillAsync(string marker, string inside)
    {
        // Straight to stderr: the logger's queue would die with the process.
        await Console.Error.WriteLineAsync($"{marker}: killing the process inside {inside}, before its commit");
        await Console.Error.FlushAsync();
        using var self = Process.GetCurrentProcess();
        self.Kill(); // SIGKILL: no clean-up, no commit
    }
}
