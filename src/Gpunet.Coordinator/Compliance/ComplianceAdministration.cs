using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Compliance;
using Gpunet.Core.Sanctions;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Compliance;

/// <summary>A compliance officer's changes to what compliance knows: the policy, the sanctions list, a host's location
/// clearance. Each commits with its audit entry, then everything is re-evaluated.</summary>
internal sealed class ComplianceAdministration(
    ComplianceService compliance,
    KycService kyc,
    AuditLog audit,
    ComplianceEnforcer enforcer,
    HostRegistry registry,
    TimeProvider time) : IDisposable
{
    // One policy change at a time in this coordinator (the transaction checks for other coordinators').
    private readonly SemaphoreSlim _turn = new(1, 1);

    public void Dispose() => _turn.Dispose();

    /// <summary>The outcome of applying a policy: its errors (nothing changed), or what it changed.</summary>
    public sealed record PolicyApplied(
        IReadOnlyList<PolicyError> Errors, string? Conflict, bool Unchanged, string? Version, EnforcementResult? Enforcement);

    public async Task<PolicyApplied> ApplyPolicyAsync(string yaml, string officer, CancellationToken ct)
    {
        await _turn.WaitAsync(ct);
        try
        {
            return await ApplyPolicyLockedAsync(yaml, officer, ct);
        }
        finally
        {
            _turn.Release();
        }
    }

    private async Task<PolicyApplied> ApplyPolicyLockedAsync(string yaml, string officer, CancellationToken ct)
    {
        var (policy, errors) = CompliancePolicyParser.Parse(yaml);
        if (policy is null)
        {
            await compliance.RecordAsync("policy", "policy-apply", new { errors = errors.Select(e => e.ToString()) },
                $"refused: {errors.Count} error{(errors.Count == 1 ? "" : "s")}; the policy in force stays", officer, ct);
            return new(errors, null, false, null, null);
        }

        var current = compliance.PolicyRecord;
        if (policy.Version == current.Version)
        {
            if (NormalisedEquals(CompliancePolicyParser.ToYaml(policy), CompliancePolicyParser.ToYaml(compliance.Evaluator.Policy)))
                return new([], null, true, policy.Version, new EnforcementResult([], []));
            var conflict = $"version {policy.Version} is already in force with other content; give the new policy a new version";
            await compliance.RecordAsync("policy", "policy-apply", new { version = policy.Version }, $"refused: {conflict}", officer, ct);
            return new([], conflict, false, null, null);
        }

        var record = new CompliancePolicyRecord { Version = policy.Version, Yaml = yaml, AppliedAt = time.GetUtcNow(), AppliedBy = officer };
        var raced = await audit.CommitAsync(async db =>
        {
            // Another officer (or coordinator) may have applied a policy since this one read the policy in force.
            var stored = await db.CompliancePolicies.AsNoTracking().OrderByDescending(p => p.Id).Select(p => p.Version).FirstOrDefaultAsync(ct);
            if ((stored ?? CompliancePolicy.Default.Version) != current.Version)
                return ($"policy {stored} was applied meanwhile; review it (gpunet compliance policy show) and apply again", (IReadOnlyList<AuditDraft>)[]);
            if (await db.CompliancePolicies.AnyAsync(p => p.Version == policy.Version, ct))
                return ($"version {policy.Version} was applied before; give the new policy a new version", (IReadOnlyList<AuditDraft>)[]);
            db.CompliancePolicies.Add(record);
            IReadOnlyList<AuditDraft> decisions =
            [
                new("policy", "policy-apply", new { previous = current.Version, version = policy.Version }, $"applied policy {policy.Version} (was {current.Version})", officer)
                    { PolicyVersion = policy.Version },
            ];
            return ((string?)null, decisions);
        }, compliance.Versions, ct);
        if (raced is not null)
            return new([], raced, false, null, null);
        compliance.Use(policy, record);
        var enforcement = await enforcer.EnforceAsync($"policy {policy.Version} applied", officer, ct);
        return new([], null, false, policy.Version, enforcement);
    }

    private static bool NormalisedEquals(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.Ordinal);

    /// <summary>The outcome of an import: its error (nothing changed), or the list now in force and what re-screening did.</summary>
    public sealed record ListImported(string? Error, SanctionsListRecord? List, int Names, int Screened, int Rejected, int Review, EnforcementResult? Enforcement);

    public async Task<ListImported> ImportSanctionsAsync(string sdn, string? alt, string officer, CancellationToken ct)
    {
        SanctionsList list;
        try
        {
            list = SdnCsvParser.Parse(sdn, alt);
        }
        catch (SanctionsListException e)
        {
            await compliance.RecordAsync("sanctions-list", "sanctions-import", new { bytes = sdn.Length + (alt?.Length ?? 0) }, $"refused: {e.Message}", officer, ct);
            return new(e.Message, null, 0, 0, 0, 0, null);
        }

        if (list.Entries.Count == 0)
        {
            await compliance.RecordAsync("sanctions-list", "sanctions-import", new { bytes = sdn.Length }, "refused: the list has no entries", officer, ct);
            return new("the list has no entries", null, 0, 0, 0, 0, null);
        }

        var previous = compliance.Screener.List.Version;
        var record = new SanctionsListRecord
        {
            Version = list.Version, Sdn = sdn, Alt = alt, Entries = list.Entries.Count, ImportedAt = time.GetUtcNow(), ImportedBy = officer,
        };
        await audit.CommitAsync(async db =>
        {
            db.SanctionsLists.Add(record);
            IReadOnlyList<AuditDraft> decisions =
            [
                new("sanctions-list", "sanctions-import", new { previous, version = list.Version, entries = list.Entries.Count, names = list.NameCount },
                    $"imported {list.Entries.Count} entries ({list.NameCount} names)", officer) { ListVersion = list.Version },
            ];
            return (true, decisions);
        }, compliance.Versions, ct);
        compliance.Use(list, record);
        var (screened, rejected, review) = await kyc.RescreenAsync(officer, ct);
        var enforcement = await enforcer.EnforceAsync($"sanctions list {list.Version} imported", officer, ct);
        return new(null, record, list.NameCount, screened, rejected, review, enforcement);
    }

    private static HostLocationRecord Copy(HostLocationRecord l) => new()
    {
        HostId = l.HostId, Address = l.Address, Source = l.Source, ResolvedCountry = l.ResolvedCountry, DeclaredCountry = l.DeclaredCountry,
        Check = l.Check, Detail = l.Detail, DatabaseVersion = l.DatabaseVersion, CheckedAt = l.CheckedAt,
    };

    /// <summary>Clears a host whose address did not confirm its declared location, so it may serve export-controlled GPUs.</summary>
    /// <returns>Null on success; otherwise the problem and its HTTP status.</returns>
    public async Task<(int Status, string Problem)?> ClearLocationAsync(string hostId, string reason, string officer, CancellationToken ct)
    {
        if (!registry.TryGet(hostId, out _))
            return (StatusCodes.Status404NotFound, $"no host {hostId}");
        if (compliance.LocationOf(hostId) is not { } location)
            return (StatusCodes.Status409Conflict, $"{hostId} has not been located yet");
        var check = ComplianceService.EffectiveCheck(location);
        if (check is LocationCheck.Matches or LocationCheck.Cleared)
            return (StatusCodes.Status409Conflict, $"{hostId} needs no clearance: its location is {check.ToString().ToLowerInvariant()} ({location.Detail})");

        var now = time.GetUtcNow();
        HostLocationRecord? cleared = null;
        await audit.CommitAsync(async db =>
        {
            // The check may still be on its way to the store (group commit): then the clearance writes it.
            // The check cleared is the one in force (what the officer saw), even if the store still holds an older one.
            var row = await db.HostLocations.FindAsync([hostId], ct);
            if (row is null)
            {
                row = Copy(location);
                db.HostLocations.Add(row);
            }
            else if (!HostLocations.Of(row).ClearanceCovers(location.Address, location.DeclaredCountry) || row.Check != location.Check)
            {
                db.Entry(row).CurrentValues.SetValues(Copy(location));
            }

            row.ClearedAt = now;
            row.ClearedBy = officer;
            row.ClearedReason = reason;
            cleared = row;
            IReadOnlyList<AuditDraft> decisions =
            [
                new(hostId, "location-clearance", new { address = row.Address, declared = row.DeclaredCountry, resolved = row.ResolvedCountry, check = row.Check, reason },
                    $"cleared: {reason}", officer),
            ];
            return (true, decisions);
        }, compliance.Versions, ct);
        if (cleared is not null)
            compliance.Remember(cleared);
        return null;
    }
}
