using System.Globalization;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Gpunet.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Ledger;

/// <summary>An epoch's inputs from the coordinator's database, never from one coordinator's memory: hosts, their
/// operators and GPUs, uptime, usage and stakes as stored, so every coordinator settling an epoch reads the same, hosts
/// registered through any coordinator of the store included.</summary>
internal sealed class StoredEpochInputs(IDbContextFactory<GpunetDb> dbFactory) : IEpochInputs
{
    private const string FirstEpochKey = "first_epoch";

    public async Task<long> FirstEpochAsync(long proposed, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stored = await db.Meta.AsNoTracking().Where(m => m.Key == FirstEpochKey).Select(m => m.Value).FirstOrDefaultAsync(ct);
        if (stored is not null)
            return long.Parse(stored, CultureInfo.InvariantCulture);
        db.Meta.Add(new MetaRecord { Key = FirstEpochKey, Value = proposed.ToString(CultureInfo.InvariantCulture) });
        try
        {
            await db.SaveChangesAsync(ct);
            return proposed;
        }
        catch (DbUpdateException)
        {
            // Another coordinator recorded it first: take theirs.
            await using var again = await dbFactory.CreateDbContextAsync(ct);
            return long.Parse(await again.Meta.AsNoTracking().Where(m => m.Key == FirstEpochKey).Select(m => m.Value).FirstAsync(ct), CultureInfo.InvariantCulture);
        }
    }

    public async Task<long?> LastSettledAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Epochs.AsNoTracking().MaxAsync(e => (long?)e.Epoch, ct);
    }

    public async Task<bool> IsSettledAsync(long epoch, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Epochs.AsNoTracking().AnyAsync(e => e.Epoch == epoch, ct);
    }

    public async Task<EpochRows> ReadAsync(DateTimeOffset start, DateTimeOffset end, CancellationToken ct)
    {
        // Independent reads, each on a connection of its own and a thread of its own (SQLite's calls complete
        // synchronously): on two cores the read phase takes about half as long as one read after another.
        // The large reads through plain SQL (EpochRowReader); the small ones through EF Core.
        var usage = Read(async db => await (await EpochRowReader.OpenAsync(db, ct)).UsageAsync(end, ct), ct);
        var transitions = Read(async db => await (await EpochRowReader.OpenAsync(db, ct)).TransitionsAsync(end, ct), ct);
        var open = Read(async db => await (await EpochRowReader.OpenAsync(db, ct)).OpenLeasesAsync(ct), ct);
        var hosts = Read(async db => await (await EpochRowReader.OpenAsync(db, ct)).HostsAsync(ct), ct);
        var rest = Read(async db =>
        {
            var tranches = (await db.VestingTranches.AsNoTracking().ToListAsync(ct))
                .ConvertAll(t => new VestingTranche(Address.Parse(t.Owner), t.Epoch, Core.Ledger.TokenAmount.FromBaseUnits(t.Amount), Core.Ledger.TokenAmount.FromBaseUnits(t.Released), t.Start));
            var unbonding = await db.Unbonding.AsNoTracking().Where(u => u.ReleasedEpoch == null).OrderBy(u => u.TransferId).ToListAsync(ct);
            var slashes = await db.SlashEvents.AsNoTracking().Where(s => s.Epoch == null && s.At < end).ToListAsync(ct);
            var checks = await StoredEpochChecks.ReadAsync(db, start, end, ct);
            return (tranches, unbonding, slashes, checks);
        }, ct);
        await Task.WhenAll(usage, transitions, open, hosts, rest);
        var (billedMs, servedSeconds) = await usage;
        var (tranches, unbonding, slashes, checks) = await rest;
        return new EpochRows(billedMs, servedSeconds, await transitions, await hosts, await open, tranches, unbonding, slashes, checks);
    }

    private Task<T> Read<T>(Func<GpunetDb, Task<T>> read, CancellationToken ct) => Task.Run(async () =>
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await read(db);
    }, ct);
}
