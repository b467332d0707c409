using System.Security.Cryptography;
using System.Text.Json;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Compliance;
using Gpunet.Core.Sanctions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Compliance;

/// <summary>KYC/KYB: submissions, sanctions screening, the officers' review queue and an external vendor's decisions.</summary>
/// <remarks>Every outcome, refusals of bad input included, is in the audit log. Thread-safe.</remarks>
internal sealed class KycService(
    ComplianceService compliance,
    AuditLog audit,
    IKycProvider provider,
    IDbContextFactory<GpunetDb> dbFactory,
    IOptions<ComplianceOptions> options,
    TimeProvider time)
{
    /// <summary>Who decides automatically on a clear sanctions hit.</summary>
    public const string Screening = "sanctions-screening";

    internal static readonly JsonSerializerOptions DocumentJson = new(JsonSerializerDefaults.Web);

    /// <summary>Validates, screens and records a participant's submission; a clear sanctions hit rejects it at once, a
    /// possible match waits for an officer, anything else goes to the provider (the review queue or a vendor).</summary>
    public async Task<KycOutcome> SubmitAsync(string address, KycSubmissionInput input, CancellationToken ct)
    {
        // Whole milliseconds: what both stores keep exactly.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        if (!KycDocuments.TryCreate(input, DateOnly.FromDateTime(now.UtcDateTime), out var document, out var errors))
        {
            await compliance.RecordAsync(address, "kyc-submission", new { errors = errors.Select(e => $"{e.Field}: {e.Message}") },
                $"refused: {errors.Count} invalid field{(errors.Count == 1 ? "" : "s")}", address, ct);
            return KycOutcome.Invalid(errors);
        }

        var current = compliance.LatestOf(address) is { } latest ? ComplianceService.StatusOf(latest) : KycStatus.Unverified;
        var submit = KycLifecycle.Submit(current, now);
        if (!submit.Ok)
        {
            await compliance.RecordAsync(address, "kyc-submission", new { state = current.State.ToString() }, $"refused: {submit.Refusal}", address, ct);
            return KycOutcome.Conflict(submit.Refusal!);
        }

        var screener = compliance.Screener;
        var screening = Screen(screener, document);
        var record = new KycSubmissionRecord
        {
            Id = "kyc-" + RandomNumberGenerator.GetHexString(16, lowercase: true),
            Address = address,
            Kind = document is CompanyDocument ? "company" : "person",
            Document = JsonSerializer.Serialize(document, document.GetType(), DocumentJson),
            LegalName = document.LegalName,
            Country = document.Country,
            ParentCountry = document.ParentCountryOrNull,
            State = nameof(KycState.Pending),
            SubmittedAt = now,
            Provider = provider.Name,
            Screening = screening.Outcome.ToString(),
            ScreeningSummary = screening.Summary,
            ListVersion = screening.ListVersion,
        };
        var decisions = new List<AuditDraft>
        {
            new(record.Id, "kyc-submission", new { address, kind = record.Kind, country = record.Country, parent = record.ParentCountry, provider = provider.Name },
                "submitted for verification", address),
            new(record.Id, Screening, new { names = document.ScreeningNames().Select(n => n.Name), outcome = screening.Outcome.ToString() },
                screening.Summary, Screening) { ListVersion = screening.ListVersion },
        };
        if (screening.Outcome == ScreeningOutcome.Hit)
        {
            var reject = KycLifecycle.Reject(submit.Next!, now, $"sanctions: {screening.Summary}", final: true);
            Apply(record, reject.Next!, Screening);
            decisions.Add(new(record.Id, Screening, new { address }, "rejected (final): a sanctions list match", Screening) { ListVersion = screening.ListVersion });
        }

        var conflict = await audit.CommitAsync(async db =>
        {
            // Checked again inside the transaction: two submissions at once must not both become pending.
            var newest = await db.KycSubmissions.AsNoTracking().Where(x => x.Address == address)
                .OrderByDescending(x => x.SubmittedAt).ThenByDescending(x => x.Id).FirstOrDefaultAsync(ct);
            if (newest is not null && KycLifecycle.Submit(ComplianceService.StatusOf(newest), now) is { Ok: false } refused)
                return (refused.Refusal, (IReadOnlyList<AuditDraft>)[new(address, "kyc-submission", new { state = newest.State }, $"refused: {refused.Refusal}", address)]);
            db.KycSubmissions.Add(record);
            return ((string?)null, (IReadOnlyList<AuditDraft>)decisions);
        }, compliance.Versions, ct);
        if (conflict is not null)
            return KycOutcome.Conflict(conflict);
        compliance.Remember(record);

        if (record.State == nameof(KycState.Pending) && screening.Outcome == ScreeningOutcome.Clear)
            await provider.StartAsync(record, document, ct);
        return KycOutcome.Done(record);
    }

    /// <summary>The worst screening outcome over every name of the document.</summary>
    internal static ScreeningResult Screen(SanctionsScreener screener, KycDocument document)
    {
        ScreeningResult? worst = null;
        foreach (var (name, dob, country) in document.ScreeningNames())
        {
            var result = screener.Screen(new ScreeningSubject(name, dob, country));
            if (worst is null || result.Outcome > worst.Outcome)
                worst = result;
        }

        return worst ?? new ScreeningResult(ScreeningOutcome.Clear, screener.List.Version, []);
    }

    /// <summary>An officer's (or the vendor's) approval or rejection of a pending submission.</summary>
    public async Task<KycOutcome> DecideAsync(string id, bool approve, string? reason, bool final, string decidedBy, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var outcome = await audit.CommitAsync(async db =>
        {
            var s = await db.KycSubmissions.FindAsync([id], ct);
            if (s is null)
                return (KycOutcome.Missing(), (IReadOnlyList<AuditDraft>)[]);
            if (approve && string.Equals(s.Address, decidedBy, StringComparison.OrdinalIgnoreCase))
            {
                return (KycOutcome.Forbidden("an officer cannot approve their own submission"),
                    [new(id, "kyc-review", new { approve }, "refused: an officer cannot approve their own submission", decidedBy)]);
            }

            if (approve && s.Screening == nameof(ScreeningOutcome.Review) && reason is null)
            {
                return (KycOutcome.Conflict($"screening found a possible sanctions match ({s.ScreeningSummary}); approving it needs a reason saying why it is not the listed party"),
                    (IReadOnlyList<AuditDraft>)[]);
            }

            var status = ComplianceService.StatusOf(s);
            var next = approve
                ? KycLifecycle.Approve(status, now, options.Value.KycValidity)
                : KycLifecycle.Reject(status, now, reason ?? "rejected by a compliance officer", final);
            if (!next.Ok)
            {
                return (KycOutcome.Conflict(next.Refusal!),
                    [new(id, "kyc-review", new { approve, state = s.State }, $"refused: {next.Refusal}", decidedBy)]);
            }

            Apply(s, next.Next!, decidedBy);
            var words = approve ? $"approved until {s.ExpiresAt:yyyy-MM-dd}" : $"rejected{(final ? " (final)" : " (may resubmit)")}: {s.Reason}";
            return (KycOutcome.Done(s),
                [new(id, "kyc-review", new { address = s.Address, approve, reason, final, screening = s.Screening }, words, decidedBy)]);
        }, compliance.Versions, ct);
        if (outcome.Submission is { } done)
            compliance.Remember(done);
        return outcome;
    }

    /// <summary>Submissions, newest first, optionally in one state.</summary>
    public async Task<List<KycSubmissionRecord>> ListAsync(KycState? state, int limit, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.KycSubmissions.AsNoTracking();
        var now = time.GetUtcNow();
        // Expired is an approval past its validity: filtered in the query, so the limit counts what is shown.
        if (state == KycState.Expired)
            q = q.Where(x => x.State == nameof(KycState.Approved) && x.ExpiresAt <= now);
        else if (state == KycState.Approved)
            q = q.Where(x => x.State == nameof(KycState.Approved) && (x.ExpiresAt == null || x.ExpiresAt > now));
        else if (state is { } s)
            q = q.Where(x => x.State == s.ToString());
        return await q.OrderByDescending(x => x.SubmittedAt).ThenByDescending(x => x.Id).Take(limit).ToListAsync(ct);
    }

    public async Task<KycSubmissionRecord?> FindAsync(string id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.KycSubmissions.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
    }

    /// <summary>Screens every pending and approved participant again (after a new list): a clear hit rejects, a possible
    /// match sends an approved participant back to review.</summary>
    public async Task<(int Screened, int Rejected, int Review)> RescreenAsync(string decidedBy, CancellationToken ct)
    {
        var screener = compliance.Screener;
        var version = screener.List.Version;
        await using (var probe = await dbFactory.CreateDbContextAsync(ct))
        {
            // The common case (a sweep with nothing new to screen) costs one indexed query, no transaction.
            if (!await probe.KycSubmissions.AnyAsync(s => (s.State == nameof(KycState.Pending) || s.State == nameof(KycState.Approved)) && s.ListVersion != version, ct))
                return (0, 0, 0);
        }

        var now = time.GetUtcNow();
        var changed = new List<KycSubmissionRecord>();
        var (screened, rejected, review) = await audit.CommitAsync(async db =>
        {
            changed.Clear();
            // Those not yet screened against the list in force (after an import: everyone; in a sweep: any submission
            // that was screened against the old list while the new one was being imported).
            var open = await db.KycSubmissions
                .Where(s => (s.State == nameof(KycState.Pending) || s.State == nameof(KycState.Approved)) && s.ListVersion != version).ToListAsync(ct);
            var decisions = new List<AuditDraft>();
            int r = 0, v = 0;
            foreach (var s in open)
            {
                if (compliance.LatestOf(s.Address)?.Id is { } newest && newest != s.Id)
                    continue;
                var document = (KycDocument?)JsonSerializer.Deserialize(s.Document, s.Kind == "company" ? typeof(CompanyDocument) : typeof(PersonDocument), DocumentJson);
                if (document is null)
                    continue;
                var result = Screen(screener, document);
                s.ListVersion = result.ListVersion;
                if (result.Outcome == ScreeningOutcome.Hit)
                {
                    var pending = s.State == nameof(KycState.Pending) ? ComplianceService.StatusOf(s) : ComplianceService.StatusOf(s) with { State = KycState.Pending };
                    Apply(s, KycLifecycle.Reject(pending, now, $"sanctions: {result.Summary}", final: true).Next!, Screening);
                    s.Screening = result.Outcome.ToString();
                    s.ScreeningSummary = result.Summary;
                    decisions.Add(new(s.Id, Screening, new { address = s.Address, rescreen = true }, $"rejected (final) on the new list: {result.Summary}", decidedBy) { ListVersion = result.ListVersion });
                    changed.Add(s);
                    r++;
                }
                else if (result.Outcome == ScreeningOutcome.Review && s.Screening != nameof(ScreeningOutcome.Review))
                {
                    s.Screening = result.Outcome.ToString();
                    s.ScreeningSummary = result.Summary;
                    if (s.State == nameof(KycState.Approved))
                    {
                        s.State = nameof(KycState.Pending);
                        s.Reason = "back to review: a possible match on the new sanctions list";
                        s.Version++;
                    }

                    decisions.Add(new(s.Id, Screening, new { address = s.Address, rescreen = true }, $"sent to review: {result.Summary}", decidedBy) { ListVersion = result.ListVersion });
                    changed.Add(s);
                    v++;
                }
            }

            return ((open.Count, r, v), (IReadOnlyList<AuditDraft>)decisions);
        }, compliance.Versions, ct);
        foreach (var s in changed)
            compliance.Remember(s);
        return (screened, rejected, review);
    }

    internal static void Apply(KycSubmissionRecord s, KycStatus next, string decidedBy)
    {
        s.State = next.State.ToString();
        s.DecidedAt = next.DecidedAt;
        s.ExpiresAt = next.ExpiresAt;
        s.Final = next.Final;
        s.Reason = next.Reason;
        s.DecidedBy = decidedBy;
        s.Version++;
    }
}
