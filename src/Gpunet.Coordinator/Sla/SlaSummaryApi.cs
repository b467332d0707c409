using Gpunet.Coordinator.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gpunet.Coordinator.Sla;

/// <summary><c>GET /sla/summary</c>: the whole network's SLA over a month, for the network operator only
/// (<see cref="SlaSummaries"/>).</summary>
internal static class SlaSummaryApi
{
    public static RouteGroupBuilder MapSlaSummaryApi(this RouteGroupBuilder api)
    {
        api.MapGet("/sla/summary", Summary).WithTags("SLA").WithName("SlaSummary").RequireAuthorization(GpunetPolicies.Operator)
            .WithSummary("The network's SLA for a month")
            .WithDescription("The network's SLA over a month (the network operator): leases owed credits, credits owed, paid and unpaid, " +
                "hosts offline and hosts over their SLO allowance (the worst 20 named), from what settlement stored")
            .WithParameter("month", ApiPatterns.Month).ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }

    private static async Task<Results<Ok<SlaSummaryView>, ProblemHttpResult>> Summary(string? month, SlaSummaries summaries, TimeProvider time, CancellationToken ct)
    {
        var (reported, (from, to), problem) = SlaReportApi.Period(month, time.GetUtcNow());
        if (problem is not null)
            return problem;
        return TypedResults.Ok(await summaries.MonthAsync(reported, from, to, ct));
    }
}
