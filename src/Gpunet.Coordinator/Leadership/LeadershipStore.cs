using Gpunet.Coordinator.Storage;
using Gpunet.Core.Coordination;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Leadership;

/// <summary>The leader lease's row: read, claimed, taken over, renewed and given up, each by one conditional statement,
/// so that of two coordinators racing exactly one wins; and the fence check inside a duty's transaction.</summary>
/// <remarks>Thread-safe: every call uses its own short-lived <see cref="GpunetDb"/>.</remarks>
internal sealed class LeadershipStore(IDbContextFactory<GpunetDb> dbFactory)
{
    /// <summary>The one lease of a network.</summary>
    public const string Name = "leader";

    public async Task<LeaderLease?> ReadAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Leadership.AsNoTracking().FirstOrDefaultAsync(l => l.Name == Name, ct);
        return row is null ? null : new LeaderLease(row.Holder, row.Token, row.Renewals);
    }

    /// <summary>Who holds the lease now and until when by its clock, for people; null before anybody led.</summary>
    public async Task<LeadershipRecord?> RowAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Leadership.AsNoTracking().FirstOrDefaultAsync(l => l.Name == Name, ct);
    }

    /// <summary>Makes the lease, held by <paramref name="me"/> with token 1; false when another coordinator made it first.</summary>
    public async Task<bool> ClaimFirstAsync(string me, DateTimeOffset now, TimeSpan length, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.Leadership.Add(new LeadershipRecord { Name = Name, Holder = me, Token = 1, Renewals = 1, RenewedAt = now, ExpiresAt = now + length });
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            return false; // the key: another coordinator made it
        }
    }

    /// <summary>Takes the lease as <paramref name="seen"/> for <paramref name="me"/> with the next token; false when it
    /// changed since (its holder renewed, or another follower took it first).</summary>
    public async Task<bool> TakeAsync(LeaderLease seen, string me, DateTimeOffset now, TimeSpan length, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Leadership
            .Where(l => l.Name == Name && l.Holder == seen.Holder && l.Token == seen.Token && l.Renewals == seen.Renewals)
            .ExecuteUpdateAsync(s => s
                .SetProperty(l => l.Holder, me)
                .SetProperty(l => l.Token, l => l.Token + 1)
                .SetProperty(l => l.Renewals, l => l.Renewals + 1)
                .SetProperty(l => l.RenewedAt, now)
                .SetProperty(l => l.ExpiresAt, now + length), ct) == 1;
    }

    /// <summary>Renews <paramref name="fence"/>'s lease; false when another coordinator took it.</summary>
    public async Task<bool> RenewAsync(LeaderFence fence, DateTimeOffset now, TimeSpan length, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Held(db, fence).ExecuteUpdateAsync(s => s
            .SetProperty(l => l.Renewals, l => l.Renewals + 1)
            .SetProperty(l => l.RenewedAt, now)
            .SetProperty(l => l.ExpiresAt, now + length), ct) == 1;
    }

    /// <summary>Gives the lease up (at a clean stop), so a follower takes it at its next read.</summary>
    public async Task ReleaseAsync(LeaderFence fence, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await Held(db, fence).ExecuteUpdateAsync(s => s
            .SetProperty(l => l.Holder, "")
            .SetProperty(l => l.Renewals, l => l.Renewals + 1)
            .SetProperty(l => l.ExpiresAt, now), ct);
    }

    /// <summary>The fence, in <paramref name="db"/>'s transaction: an update of the lease's row that matches only while
    /// <paramref name="fence"/> holds it. The row stays locked until the transaction ends (PostgreSQL's row lock; SQLite
    /// has one writer at a time), so a take-over waits for the duty's commit, and a duty after a take-over writes nothing.</summary>
    public static async Task CheckAsync(GpunetDb db, LeaderFence fence, CancellationToken ct)
    {
        if (await Held(db, fence).ExecuteUpdateAsync(s => s.SetProperty(l => l.Token, l => l.Token), ct) != 1)
            throw LeadershipLostException.For(fence);
    }

    private static IQueryable<LeadershipRecord> Held(GpunetDb db, LeaderFence fence) =>
        db.Leadership.Where(l => l.Name == Name && l.Holder == fence.Holder && l.Token == fence.Token);
}
