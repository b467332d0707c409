using Gpunet.Coordinator.Compliance;
using Gpunet.Coordinator.Storage;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Verification;

/// <summary>Who may run a checker: licences the network operator grants to wallets and revokes, each decision also
/// written to the audit log.</summary>
internal sealed class CheckerLicences(IDbContextFactory<GpunetDb> store, ComplianceService compliance, TimeProvider time)
{
    /// <summary>Every licence, active and revoked, oldest grant first.</summary>
    public async Task<List<CheckerLicenceRecord>> ListAsync(CancellationToken ct)
    {
        await using var db = await store.CreateDbContextAsync(ct);
        return (await db.CheckerLicences.AsNoTracking().ToListAsync(ct)).OrderBy(l => l.GrantedAt).ThenBy(l => l.Address, StringComparer.Ordinal).ToList();
    }

    /// <summary>Whether <paramref name="address"/> holds an active licence.</summary>
    public async Task<bool> IsLicensedAsync(string address, CancellationToken ct)
    {
        await using var db = await store.CreateDbContextAsync(ct);
        var key = address.ToLowerInvariant();
        return await db.CheckerLicences.AnyAsync(l => l.Address == key && l.RevokedAt == null, ct);
    }

    /// <summary>Grants a licence (again, after a revocation); an active one is returned unchanged, with
    /// <c>Created</c> false.</summary>
    public async Task<(CheckerLicenceRecord Licence, bool Created)> GrantAsync(string address, string? reason, string decidedBy, CancellationToken ct)
    {
        var key = address.ToLowerInvariant();
        await using var db = await store.CreateDbContextAsync(ct);
        var licence = await db.CheckerLicences.SingleOrDefaultAsync(l => l.Address == key, ct);
        if (licence is { RevokedAt: null })
            return (licence, false);
        var now = StoreTime.Now(time);
        if (licence is null)
        {
            licence = new CheckerLicenceRecord { Address = key, GrantedBy = decidedBy };
            db.CheckerLicences.Add(licence);
        }

        (licence.GrantedAt, licence.GrantedBy, licence.RevokedAt, licence.RevokedBy, licence.Reason) = (now, decidedBy, null, null, reason);
        licence.Version++;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another grant (here or on another coordinator) got there first: its licence is the answer.
            await using var again = await store.CreateDbContextAsync(ct);
            return (await again.CheckerLicences.AsNoTracking().SingleAsync(l => l.Address == key, ct), false);
        }

        await compliance.RecordAsync(key, "checker-licence", new { reason }, "granted", decidedBy, ct);
        return (licence, true);
    }

    /// <summary>Revokes an active licence; null when <paramref name="address"/> holds none.</summary>
    public async Task<CheckerLicenceRecord?> RevokeAsync(string address, string reason, string decidedBy, CancellationToken ct)
    {
        var key = address.ToLowerInvariant();
        await using var db = await store.CreateDbContextAsync(ct);
        var licence = await db.CheckerLicences.SingleOrDefaultAsync(l => l.Address == key && l.RevokedAt == null, ct);
        if (licence is null)
            return null;
        (licence.RevokedAt, licence.RevokedBy, licence.Reason) = (StoreTime.Now(time), decidedBy, reason);
        licence.Version++;
        await db.SaveChangesAsync(ct);
        await compliance.RecordAsync(key, "checker-licence", new { reason }, "revoked", decidedBy, ct);
        return licence;
    }
}
