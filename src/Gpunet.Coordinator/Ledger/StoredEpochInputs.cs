using System.Globalization;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Gpunet.Core.Hosts;
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
        var usage = Read(async db =>
        {
            // One pass over the epoch's usage: billed time per lease, and GPU time served per host.
            var rows = await db.LeaseUsage.AsNoTracking().Where(u => u.Epoch == null && u.ReceivedAt < end)
                .GroupBy(u => new { u.LeaseId, u.HostId })
                .Select(g => new { g.Key.LeaseId, g.Key.HostId, Ms = g.Sum(u => u.BilledMs), GpuMs = g.Sum(u => u.BilledMs * u.Gpus * u.GpuMilli / 1000) })
                .ToListAsync(ct);
            var billed = new Dictionary<string, long>(rows.Count, StringComparer.Ordinal);
            var served = new Dictionary<string, long>(rows.Count, StringComparer.Ordinal);
            foreach (var u in rows)
            {
                billed[u.LeaseId] = billed.GetValueOrDefault(u.LeaseId) + u.Ms;
                served[u.HostId] = served.GetValueOrDefault(u.HostId) + u.GpuMs;
            }

            foreach (var host in served.Keys)
                served[host] /= 1000;
            return (billed, served);
        }, ct);
        var transitions = Read(async db =>
        {
            var list = new List<(string, HostState, DateTimeOffset)>();
            await foreach (var t in db.HostTransitions.AsNoTracking().Where(t => t.At < end).OrderBy(t => t.HostId).ThenBy(t => t.At)
                .Select(t => new { t.HostId, t.To, t.At }).AsAsyncEnumerable().WithCancellation(ct))
            {
                // A state this version does not know is not Ready.
                list.Add((t.HostId, Enum.TryParse<HostState>(t.To, out var to) ? to : HostState.Pending, t.At));
            }

            return list;
        }, ct);
        var open = Read(async db =>
            (await (from b in db.LeaseBilling.AsNoTracking()
                    where b.ClosedEpoch == null
                    join l in db.Leases.AsNoTracking() on b.LeaseId equals l.Id
                    join h in db.Hosts.AsNoTracking() on l.HostId equals h.Id into onHost
                    from h in onHost.DefaultIfEmpty()
                    select new { Billing = b, l.EndReason, l.EndedAt, l.HostId, l.PriceUsdPerGpuHour, Operator = h == null ? null : h.Address }).ToListAsync(ct))
            .ConvertAll(o => new OpenLeaseBilling(o.Billing, o.EndReason, o.EndedAt, o.HostId, o.PriceUsdPerGpuHour, o.Operator)), ct);
        var hosts = Read(async db =>
        {
            // GPUs counted per host and model by the store: a model's K is what settlement needs, not each GPU.
            var gpus = await db.Gpus.AsNoTracking().GroupBy(g => new { g.HostId, g.Model })
                .Select(g => new { g.Key.HostId, g.Key.Model, Count = g.Count() }).ToListAsync(ct);
            var models = new Dictionary<string, List<(string, int)>>(gpus.Count, StringComparer.Ordinal);
            foreach (var g in gpus)
            {
                ref var list = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(models, g.HostId, out _);
                (list ??= new List<(string, int)>(1)).Add((g.Model, g.Count));
            }

            return (await db.Hosts.AsNoTracking().OrderBy(h => h.Id).Select(h => new { h.Id, h.Address }).ToListAsync(ct))
                .ConvertAll(h => new EpochHost(h.Id, h.Address, models.GetValueOrDefault(h.Id) ?? []));
        }, ct);
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
