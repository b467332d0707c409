using System.Security.Claims;
using Gpunet.Coordinator.Auth;
using Gpunet.Coordinator.Compliance;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Hosts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gpunet.Coordinator.Verification;

/// <summary>Planted hosts: registered hosts the network's operator runs as honeypots. Only the operator lists, plants and
/// retires them; to everyone else they are hosts like any other.</summary>
internal static class HoneypotsApi
{
    /// <summary>The planted hosts, newest first: a network plants a few per hundred hosts.</summary>
    private static readonly ListLimit Limit = new(Default: 10_000, Maximum: 10_000);

    public static RouteGroupBuilder MapHoneypotsApi(this RouteGroupBuilder api)
    {
        var honeypots = api.MapGroup("/honeypots").WithTags("Verification").RequireAuthorization(GpunetPolicies.Operator);
        honeypots.MapGet("", List).WithName("ListHoneypots")
            .WithSummary("List planted hosts").WithDescription("Planted hosts, active and retired, newest first (the network operator)")
            .WithListLimit(Limit).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        honeypots.MapPost("", Plant).WithName("PlantHoneypot")
            .WithSummary("Plant a host")
            .WithDescription("Plant a registered host, whose agent runs with --honeypot, as a honeypot (the network operator); planting an active one changes nothing")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        honeypots.MapPost("/{hostId}/retire", Retire).WithName("RetireHoneypot")
            .WithSummary("Retire a planted host")
            .WithDescription("Retire a planted host: its checks from now on are ordinary, its earlier ones are shown as honeypots (the network operator)")
            .WithParameter("hostId", OpenApiContract.HostIdPattern)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static PlantedHostView View(PlantedHostRecord p) =>
        new(p.HostId, p.RetiredAt is null ? "active" : "retired", p.PlantedAt, p.PlantedBy, p.RetiredAt, p.RetiredBy);

    private static async Task<Results<Ok<List<PlantedHostView>>, ProblemHttpResult>> List(int? limit, PlantedHosts planted, CancellationToken ct) =>
        Limit.Refuse(limit) is { } refused ? refused : TypedResults.Ok((await planted.ListAsync(ct)).Take(Limit.Of(limit)).Select(View).ToList());

    private static async Task<Results<Created<PlantedHostView>, Ok<PlantedHostView>, ProblemHttpResult>> Plant(
        PlantRequest? request, ClaimsPrincipal user, PlantedHosts planted, HostRegistry registry, CancellationToken ct)
    {
        if (request?.HostId is not { } hostId || !HostId.TryParse(hostId, out _))
            return Problems.Field("hostId", "a host id: host- and 12 hex digits");
        // Its traps are known fails only if its agent answers them wrong: a host whose agent does not would have every
        // checker that rightly passes a trap marked. (Traps go only to agents that say they heed them, wherever connected.)
        if (registry.TryGet(hostId, out var entry) && entry.Session is not null && !entry.HoneypotAgent)
        {
            return TypedResults.Problem(detail: $"host {hostId}'s agent does not run with --honeypot: its traps would be answered as any check, and honest checkers marked for passing them",
                statusCode: StatusCodes.Status409Conflict, title: "Not a honeypot agent");
        }

        if (await planted.PlantAsync(hostId, ComplianceApi.Actor(user), ct) is not { } result)
            return Problems.NotFound($"no registered host {hostId}");
        return result.Created ? TypedResults.Created($"/api/v1/honeypots/{hostId}", View(result.Planted)) : TypedResults.Ok(View(result.Planted));
    }

    private static async Task<Results<Ok<PlantedHostView>, ProblemHttpResult>> Retire(
        string hostId, ClaimsPrincipal user, PlantedHosts planted, CancellationToken ct)
    {
        if (!HostId.TryParse(hostId, out _))
            return Problems.Field("hostId", "a host id: host- and 12 hex digits");
        return await planted.RetireAsync(hostId, ComplianceApi.Actor(user), ct) is { } retired
            ? TypedResults.Ok(View(retired))
            : Problems.NotFound($"no planted host {hostId}");
    }
}
