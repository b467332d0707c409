using Gpunet.Core.Sla;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gpunet.Coordinator.Sla;

/// <summary>The SLA tiers offered, for anyone signed in: what each promises, its credits, and what a host needs to serve it.</summary>
internal static class SlaApi
{
    public static RouteGroupBuilder MapSlaApi(this RouteGroupBuilder api)
    {
        api.MapGroup("/sla").WithTags("SLA").MapGet("/tiers", Tiers).WithName("ListSlaTiers")
            .WithSummary("List SLA tiers")
            .WithDescription("The SLA tiers an order may ask for (slaTier), least availability first: promise, replacement time, session latency, credit schedule and host requirements")
            // No limit to ask for: every tier, at most as many as the options allow (the answer's maxItems).
            .WithMetadata(new ListLimit(SlaTiers.MaxTiers, SlaTiers.MaxTiers));
        return api;
    }

    /// <summary>A tier as the API shows it: fractions as percents where the contract says percent, steps highest first.</summary>
    public static SlaTierView View(SlaTier t) => new(
        t.Name, t.Availability * 100m, t.MaxReplacement.TotalSeconds, t.SessionLatencyMs, t.DegradedShare,
        [.. t.CreditSteps.OrderByDescending(s => s.Below).Select(s => new SlaCreditStepView(s.Below * 100m, s.Percent))],
        t.ReplacementCreditPercent, t.Qualification.MinUptime, t.Qualification.MinCheckPassRate, t.Qualification.MinLeaseCompletion);

    private static Ok<List<SlaTierView>> Tiers(SlaTiers tiers) =>
        TypedResults.Ok(tiers.All.Values.OrderBy(t => t.Availability).ThenBy(t => t.Name, StringComparer.Ordinal).Select(View).ToList());
}
