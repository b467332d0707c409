using Gpunet.Coordinator.Auth;
using Gpunet.Coordinator.Hosts;
using Gpunet.Core.Hosts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gpunet.Coordinator.Compliance;

/// <summary>The compliance officer's list of hosts with their decisions: every rule that stops each one and its location
/// evidence, a page at a time in host id order.</summary>
internal static class ComplianceHostsApi
{
    private static readonly ListLimit Limit = new(Default: 100, Maximum: 500);

    public static RouteGroupBuilder MapComplianceHostsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/compliance/hosts", List).RequireAuthorization(GpunetPolicies.Officer).WithTags("Compliance").WithName("ListHostCompliance")
            .WithSummary("List hosts a rule stops")
            .WithDescription("Hosts a rule stops (stopped=false: every host), each with every rule that stops it and its location check, in host id order after `after` (compliance officers)")
            .WithParameter("after", OpenApiContract.HostIdPattern).WithListLimit(Limit)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }

    private static Results<Ok<List<HostComplianceView>>, ProblemHttpResult> List(
        bool? stopped, string? after, int? limit, HostRegistry registry, ComplianceService compliance, RoundTripFlags roundTrips)
    {
        if (Limit.Refuse(limit) is { } refused)
            return refused;
        if (after is not null && !HostId.TryParse(after, out _))
            return Problems.Field("after", "the last host id of the previous page: host- and 12 hex digits");
        var onlyStopped = stopped ?? true;
        var size = Limit.Of(limit);
        var page = new List<HostComplianceView>(size);
        // Ids compare ordinally as the API's order; a page is found by scanning, which 10,000 hosts allow.
        foreach (var entry in registry.Entries.Where(e => after is null || string.CompareOrdinal(e.Id, after) > 0).OrderBy(e => e.Id, StringComparer.Ordinal))
        {
            var view = Of(entry, compliance, roundTrips);
            if (onlyStopped && view.Allowed)
                continue;
            page.Add(view);
            if (page.Count == size)
                break;
        }

        return TypedResults.Ok(page);
    }

    /// <summary>One host's decision under the policy in force, every reason with its rule, and its location evidence.</summary>
    public static HostComplianceView Of(HostEntry entry, ComplianceService compliance, RoundTripFlags roundTrips)
    {
        var decision = compliance.HostDecision(entry);
        var l = compliance.LocationOf(entry.Id);
        return new HostComplianceView(entry.Id, decision.Allowed, decision.PolicyVersion, compliance.KycOf(entry.Record.Address).State,
            [.. decision.Reasons.Select(r => new ReasonView(r.Rule, r.Message))],
            l is null ? null : new LocationView(l.Address, l.Source, l.ResolvedCountry, l.DeclaredCountry, ComplianceService.EffectiveCheck(l).ToString(), l.Detail,
                l.DatabaseVersion, l.CheckedAt, l.ClearedBy, l.ClearedAt, l.ClearedReason), roundTrips.Of(entry.Id));
    }
}
