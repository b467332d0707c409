using System.Security.Claims;
using Gpunet.Coordinator.Auth;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Hosts;
using Gpunet.Core.Marketplace;
using Gpunet.Core.Sla;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Sla;

/// <summary><c>GET /sla/report</c>: a month's SLA report on one lease (its owner), one host (its operator) or one customer
/// (that customer); the network operator may read any.</summary>
internal static class SlaReportApi
{
    public static RouteGroupBuilder MapSlaReportApi(this RouteGroupBuilder api)
    {
        api.MapGet("/sla/report", Report).WithTags("SLA").WithName("SlaReport")
            .WithSummary("An SLA report for a month")
            .WithDescription("A month's SLA report on exactly one of lease, host or customer: availability against the tier's promise, " +
                "downtime windows with their causes, credits paid, availability per day and, for a host, its SLO per day. " +
                "It lists 1,000 windows and 1,000 credits, earliest first, and counts those after them (windowsUnlisted, " +
                "creditsUnlisted); windowsFrom and creditsFrom list from that position on")
            .WithParameter("lease", ApiPatterns.LeaseId).WithParameter("host", ApiPatterns.HostId)
            .WithParameter("customer", ApiPatterns.Address).WithParameter("month", ApiPatterns.Month)
            .WithParameter("windowsFrom", minimum: 0).WithParameter("creditsFrom", minimum: 0)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Results<Ok<SlaReportView>, ProblemHttpResult>> Report(
        ClaimsPrincipal user, SlaReports reports, HostRegistry registry, IDbContextFactory<GpunetDb> dbFactory, TimeProvider time,
        string? lease, string? host, string? customer, string? month, int? windowsFrom, int? creditsFrom, CancellationToken ct)
    {
        var given = new[] { lease, host, customer }.Count(s => !string.IsNullOrEmpty(s));
        if (given != 1)
        {
            return Problems.Field("lease|host|customer",
                given == 0 ? "name the report's subject: lease=ID, host=ID or customer=ADDRESS" : "exactly one of lease, host and customer, not several");
        }

        if (windowsFrom is < 0)
            return Problems.Field("windowsFrom", "a position in the report's windows, 0 or more");
        if (creditsFrom is < 0)
            return Problems.Field("creditsFrom", "a position in the report's credits, 0 or more");
        var page = (Windows: windowsFrom ?? 0, Credits: creditsFrom ?? 0);
        var (reported, period, problem) = Period(month, time.GetUtcNow());
        if (problem is not null)
            return problem;
        var (from, to) = period;

        var admin = user.IsInRole(GpunetClaims.AdminRole);
        var caller = user.FindFirstValue(GpunetClaims.Address);
        if (!string.IsNullOrEmpty(lease))
        {
            if (!LeaseId.TryParse(lease, out _))
                return Problems.Field("lease", $"'{Clip(lease)}' is not a lease id (lease- followed by 12 hex digits)");
            // Someone else's lease is answered as an unknown one: a report tells nothing of leases that are not yours.
            var owner = await OwnerAsync(dbFactory, lease, ct);
            if (owner is null || (!admin && !string.Equals(owner, caller, StringComparison.OrdinalIgnoreCase)))
                return Problems.NotFound($"no lease {lease}");
            return await reports.LeaseAsync(lease, reported, from, to, ct) is { } view ? TypedResults.Ok(Page(view, page)) : Problems.NotFound($"no lease {lease}");
        }

        if (!string.IsNullOrEmpty(host))
        {
            if (!HostId.TryParse(host, out _))
                return Problems.Field("host", $"'{Clip(host)}' is not a host id (host- followed by 12 hex digits)");
            if (!registry.TryGet(host, out var entry))
                return Problems.NotFound($"no host {host}");
            // Hosts are listed to everyone; their records (downtime, credits owed) only to their operator.
            if (!admin && !entry.IsOperatedBy(caller))
                return Forbidden($"the report on {host} is for its operator or the network operator");
            return await reports.HostAsync(host, reported, from, to, ct) is { } view ? TypedResults.Ok(Page(view, page)) : Problems.NotFound($"no host {host}");
        }

        if (!ApiInput.TryAddress(customer, out var address, out var error))
            return Problems.Field("customer", error);
        if (!admin && !string.Equals(address.Value, caller, StringComparison.OrdinalIgnoreCase))
            return Forbidden("a customer's report is for that customer or the network operator");
        return TypedResults.Ok(Page(await reports.CustomerAsync(address.Value, reported, from, to, ct), page));
    }

    // A month can hold tens of thousands of windows (a host flapping every minute) and credits (a customer's leases, each
    // epoch): the report lists ShortLists.ReportEntries of each from the positions asked and counts those after; its
    // totals count all.
    private static SlaReportView Page(SlaReportView view, (int Windows, int Credits) from)
    {
        var (credits, creditsUnlisted) = ShortLists.Page(view.Credits, from.Credits, ShortLists.ReportEntries);
        var (windows, windowsUnlisted) = ShortLists.Page(view.Windows, from.Windows, ShortLists.ReportEntries);
        return view with { Credits = credits, Windows = windows, CreditsUnlisted = creditsUnlisted, WindowsUnlisted = windowsUnlisted };
    }

    private static async Task<string?> OwnerAsync(IDbContextFactory<GpunetDb> dbFactory, string lease, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Leases.AsNoTracking().Where(l => l.Id == lease).Select(l => l.Owner).FirstOrDefaultAsync(ct);
    }

    /// <summary>The month a report names (the current one when none), and its period to now; or why it cannot be reported.</summary>
    internal static (SlaMonth Month, (DateTimeOffset From, DateTimeOffset To) Period, ProblemHttpResult? Problem) Period(string? month, DateTimeOffset now)
    {
        var reported = SlaMonth.Of(now);
        if (!string.IsNullOrEmpty(month) && !SlaMonth.TryParse(month, out reported))
            return (reported, default, Problems.Field("month", $"'{Clip(month)}' is not a month: YYYY-MM, e.g. {SlaMonth.Of(now)}"));
        if (reported.SoFar(now) is not { } period)
            return (reported, default, Problems.Field("month", $"{reported} has not begun (it is {SlaMonth.Of(now)} now, UTC)"));
        return (reported, period, null);
    }

    private static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");

    private static string Clip(string s) => s.Length <= 40 ? s : s[..37] + "...";
}
