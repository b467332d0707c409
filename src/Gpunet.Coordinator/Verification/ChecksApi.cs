using System.Security.Claims;
using Gpunet.Coordinator.Auth;
using System.Text.RegularExpressions;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Verification;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Verification;

/// <summary>Every check, with its assignment, every signed report (and the exact text each signature covers), the
/// majority and the consequence, and what was refused on it against a checker: anyone signed in can re-verify a
/// decision from what is shown. A check still being decided is shown sealed: no reports, no honeypot flag (CheckViews).</summary>
internal static partial class ChecksApi
{
    private static readonly ListLimit Limit = new(Default: 50, Maximum: 500);

    public static RouteGroupBuilder MapChecksApi(this RouteGroupBuilder api)
    {
        var checks = api.MapGroup("/checks").WithTags("Verification");
        checks.MapGet("", List).WithName("ListChecks").WithSummary("List checks").WithDescription("Checks, newest first; filter by host, checker or kind")
            .WithParameter("host", OpenApiContract.HostIdPattern).WithParameter("checker", OpenApiContract.AddressPattern)
            .WithListLimit(Limit);
        checks.MapGet("/{id}", Get).WithName("GetCheck").WithSummary("Get a check").WithDescription("One check with every signed report")
            .WithParameter("id", ApiPatterns.CheckId).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Results<Ok<List<CheckView>>, ProblemHttpResult>> List(
        string? host, string? checker, string? kind, int? limit, ClaimsPrincipal user, IDbContextFactory<GpunetDb> store, PlantedHosts planted,
        IOptions<AccessOptions> access, CancellationToken ct)
    {
        if (host is not null && !ApiInput.Whole(HostIdFormat(), host))
            return Problems.Field("host", "a host id: host- and 12 hex digits");
        if (checker is not null && !ApiInput.TryAddress(checker, out _, out _))
            return Problems.Field("checker", "a wallet address: 0x and 40 hex digits");
        if (kind is not null && !CheckKind.IsKnown(kind))
            return Problems.Field("kind", "liveness, service or capacity");
        if (Limit.Refuse(limit) is { } refused)
            return refused;
        await using var db = await store.CreateDbContextAsync(ct);
        var query = db.Checks.AsNoTracking();
        if (host is not null)
            query = query.Where(c => c.HostId == host);
        if (kind is not null)
            query = query.Where(c => c.Kind == kind);
        if (checker is not null)
        {
            var key = checker.ToLowerInvariant();
            // Only assigned checkers' reports are taken, so the assignment names every checker with a report.
            query = query.Where(c => c.Checkers.Contains(key));
        }

        // Newest first (times are stored as ordered numbers on both stores).
        var rows = await query.OrderByDescending(c => c.IssuedAt).ThenBy(c => c.Id).Take(Limit.Of(limit)).ToListAsync(ct);
        return TypedResults.Ok(await ViewsAsync(db, rows, user, planted, access.Value.NetworkId, ct));
    }

    private static async Task<Results<Ok<CheckView>, ProblemHttpResult>> Get(
        string id, ClaimsPrincipal user, IDbContextFactory<GpunetDb> store, PlantedHosts planted, IOptions<AccessOptions> access, CancellationToken ct)
    {
        if (!ApiInput.Whole(CheckIdFormat(), id))
            return Problems.Field("id", "a check id: chk_ and 24 hex digits");
        await using var db = await store.CreateDbContextAsync(ct);
        if (await db.Checks.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct) is not { } check)
            return Problems.NotFound($"check {id}");
        return TypedResults.Ok((await ViewsAsync(db, [check], user, planted, access.Value.NetworkId, ct))[0]);
    }

    // The checks as `user` may see them: with their reports and refusals, those still being decided sealed, and a planted
    // host's checks said to be honeypots only once it is retired (the network's operator sees every check whole).
    private static async Task<List<CheckView>> ViewsAsync(GpunetDb db, List<CheckRecord> rows, ClaimsPrincipal user, PlantedHosts planted,
        string network, CancellationToken ct)
    {
        var ids = rows.Select(c => c.Id).ToList();
        var reports = (await db.CheckReports.AsNoTracking().Where(r => ids.Contains(r.CheckId)).ToListAsync(ct)).ToLookup(r => r.CheckId);
        var refusals = await RefusalsAsync(db, ids, ct);
        var operatorAsks = user.IsInRole(GpunetClaims.AdminRole);
        var open = operatorAsks ? [] : await StillOpenAsync(db, rows, ct);
        await planted.RefreshIfDueAsync(ct);
        return [.. rows.Select(c => CheckViews.Of(c, reports[c.Id], refusals.Rows[c.Id], network, open.Contains(c.Id), operatorAsks || planted.IsRetired(c.HostId))
            with { RefusalsUnlisted = refusals.Counts.GetValueOrDefault(c.Id) is var n && n > ShortLists.RefusalsPerCheck ? n - ShortLists.RefusalsPerCheck : null })];
    }

    // The refusals of the checks `ids`, the oldest ShortLists.RefusalsPerCheck of each, and how many each has: a hostile
    // checker or host can pile refusals on one check, and neither the answer nor this read may grow with them.
    private static async Task<(ILookup<string, CheckRefusalRecord> Rows, Dictionary<string, int> Counts)> RefusalsAsync(
        GpunetDb db, List<string> ids, CancellationToken ct)
    {
        var counts = await db.CheckRefusals.AsNoTracking().Where(r => ids.Contains(r.CheckId)).GroupBy(r => r.CheckId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, StringComparer.Ordinal, ct);
        var few = counts.Where(c => c.Value <= ShortLists.RefusalsPerCheck).Select(c => c.Key).ToList();
        var rows = await db.CheckRefusals.AsNoTracking().Where(r => few.Contains(r.CheckId)).ToListAsync(ct);
        foreach (var many in counts.Where(c => c.Value > ShortLists.RefusalsPerCheck).Select(c => c.Key))
        {
            rows.AddRange(await db.CheckRefusals.AsNoTracking().Where(r => r.CheckId == many).OrderBy(r => r.Id)
                .Take(ShortLists.RefusalsPerCheck).ToListAsync(ct));
        }

        return (rows.ToLookup(r => r.CheckId, StringComparer.Ordinal), counts);
    }

    // The checks of `rows` still being decided, whose reports and honeypot flag stay sealed (CheckViews.Of): a pending
    // check, and a first panel that split while its second panel is pending (the second panel's checkers could read the
    // first's verdicts).
    private static async Task<HashSet<string>> StillOpenAsync(GpunetDb db, IReadOnlyList<CheckRecord> rows, CancellationToken ct)
    {
        var open = rows.Where(c => c.Outcome == CheckOutcomes.Pending).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var split = rows.Where(c => c.Outcome == CheckOutcomes.Escalated && c.EscalatedTo is not null).ToList();
        if (split.Count == 0)
            return open;
        var seconds = split.Select(c => c.EscalatedTo!).ToList();
        var pending = await db.Checks.AsNoTracking().Where(c => seconds.Contains(c.Id) && c.Outcome == CheckOutcomes.Pending).Select(c => c.Id).ToListAsync(ct);
        open.UnionWith(split.Where(c => pending.Contains(c.EscalatedTo!)).Select(c => c.Id));
        return open;
    }

    [GeneratedRegex(ApiPatterns.HostId)]
    private static partial Regex HostIdFormat();

    [GeneratedRegex(ApiPatterns.CheckId)]
    private static partial Regex CheckIdFormat();
}
