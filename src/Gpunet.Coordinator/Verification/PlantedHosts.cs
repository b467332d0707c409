using System.Collections.Frozen;
using Gpunet.Coordinator.Storage;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Verification;

/// <summary>Registered hosts the network's operator planted as honeypots (their agents run with <c>--honeypot</c>): a
/// check issued to one is known to be a fail, so a checker that passes it is marked, and it is shown as a honeypot only
/// once the host is retired. Planted hosts are real registered hosts, with their own keys, addresses, GPUs and history,
/// so no checker can tell them from the others by looking.</summary>
/// <remarks>Which are active and which retired is kept in memory, read again from the store every
/// <see cref="RefreshEvery"/> (another coordinator of the store may have planted or retired one), at once after a change
/// made here, and before the first check is issued or shown.</remarks>
internal sealed class PlantedHosts(IDbContextFactory<GpunetDb> store, TimeProvider time) : IDisposable
{
    /// <summary>How often the active set is read again from the store.</summary>
    internal static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(30);

    // One read at a time; a caller that finds one under way goes on with the set as it is.
    private readonly SemaphoreSlim _reading = new(1, 1);

    // Every host ever planted: true while it is, false once retired. Replaced whole.
    private volatile FrozenDictionary<string, bool> _planted = FrozenDictionary<string, bool>.Empty;

    // When it was last read (UTC ticks; 0: never).
    private long _readAtTicks;

    /// <summary>Whether <paramref name="hostId"/> is planted now (as last read).</summary>
    public bool IsActive(string hostId) => _planted.TryGetValue(hostId, out var active) && active;

    /// <summary>Whether <paramref name="hostId"/> was planted and is retired (as last read): its planted checks may be
    /// shown as honeypots. A host planted on another coordinator since the last read is neither, so it stays hidden.</summary>
    public bool IsRetired(string hostId) => _planted.TryGetValue(hostId, out var active) && !active;

    /// <summary>Reads the active set again when <see cref="RefreshEvery"/> has passed since it was.</summary>
    public async Task RefreshIfDueAsync(CancellationToken ct)
    {
        if (time.GetUtcNow().UtcTicks - Interlocked.Read(ref _readAtTicks) >= RefreshEvery.Ticks && await _reading.WaitAsync(0, ct))
        {
            try
            {
                if (time.GetUtcNow().UtcTicks - Interlocked.Read(ref _readAtTicks) >= RefreshEvery.Ticks)
                    await ReadAsync(ct);
            }
            finally
            {
                _reading.Release();
            }
        }
    }

    /// <summary>Every planted host, active and retired, newest first.</summary>
    public async Task<List<PlantedHostRecord>> ListAsync(CancellationToken ct)
    {
        await using var db = await store.CreateDbContextAsync(ct);
        return [.. (await db.PlantedHosts.AsNoTracking().ToListAsync(ct)).OrderByDescending(p => p.PlantedAt).ThenBy(p => p.HostId, StringComparer.Ordinal)];
    }

    /// <summary>Plants registered host <paramref name="hostId"/> (again, after a retirement); null when no such host is
    /// registered. An active one is returned unchanged, with <c>Created</c> false.</summary>
    public async Task<(PlantedHostRecord Planted, bool Created)?> PlantAsync(string hostId, string decidedBy, CancellationToken ct)
    {
        await using var db = await store.CreateDbContextAsync(ct);
        if (!await db.Hosts.AnyAsync(h => h.Id == hostId, ct))
            return null;
        var planted = await db.PlantedHosts.SingleOrDefaultAsync(p => p.HostId == hostId, ct);
        if (planted is { RetiredAt: null })
            return (planted, false);
        if (planted is null)
        {
            planted = new PlantedHostRecord { HostId = hostId, PlantedBy = decidedBy };
            db.PlantedHosts.Add(planted);
        }

        (planted.PlantedAt, planted.PlantedBy, planted.RetiredAt, planted.RetiredBy) = (StoreTime.Now(time), decidedBy, null, null);
        planted.Version++;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Planted (or retired) at the same moment here or on another coordinator: that one is the answer; anything else
            // is no answer.
            var existing = await ExistingAsync(hostId, ct) ?? throw new InvalidOperationException($"planting {hostId} failed, and no row of it is stored");
            await RefreshAsync(ct);
            return (existing, false);
        }

        await RefreshAsync(ct);
        return (planted, true);
    }

    /// <summary>Retires an active planted host: its checks from now on are ordinary, and its earlier ones are shown as
    /// honeypots. Null when <paramref name="hostId"/> is not planted.</summary>
    public async Task<PlantedHostRecord?> RetireAsync(string hostId, string decidedBy, CancellationToken ct)
    {
        await using var db = await store.CreateDbContextAsync(ct);
        var planted = await db.PlantedHosts.SingleOrDefaultAsync(p => p.HostId == hostId && p.RetiredAt == null, ct);
        if (planted is null)
            return null;
        (planted.RetiredAt, planted.RetiredBy) = (StoreTime.Now(time), decidedBy);
        planted.Version++;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Retired (or planted anew) on another coordinator meanwhile: as it stands now, if still retired.
            await RefreshAsync(ct);
            return await ExistingAsync(hostId, ct) is { RetiredAt: not null } retired ? retired : null;
        }

        await RefreshAsync(ct);
        return planted;
    }

    public void Dispose() => _reading.Dispose();

    private async Task<PlantedHostRecord?> ExistingAsync(string hostId, CancellationToken ct)
    {
        await using var db = await store.CreateDbContextAsync(ct);
        return await db.PlantedHosts.AsNoTracking().SingleOrDefaultAsync(p => p.HostId == hostId, ct);
    }

    // After a change made here: read now, after any read under way (whose older answer must not be the last word).
    private async Task RefreshAsync(CancellationToken ct)
    {
        await _reading.WaitAsync(ct);
        try
        {
            await ReadAsync(ct);
        }
        finally
        {
            _reading.Release();
        }
    }

    // One read, under _reading. A read that fails leaves the set and its time as they were: the next caller tries again.
    private async Task ReadAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var db = await store.CreateDbContextAsync(ct);
        _planted = (await db.PlantedHosts.AsNoTracking().Select(p => new { p.HostId, Active = p.RetiredAt == null }).ToListAsync(ct))
            .ToFrozenDictionary(p => p.HostId, p => p.Active, StringComparer.Ordinal);
        Interlocked.Exchange(ref _readAtTicks, now.UtcTicks);
    }
}
