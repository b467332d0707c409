using System.Security.Claims;
using System.Text.Json;
using Gpunet.Coordinator.Auth;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Hosts;
using Gpunet.Core.Sla;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Sla;

/// <summary>Maintenance windows over REST: a host's operator (or the network operator) declares and withdraws them;
/// anyone signed in reads a host's windows, since where the matcher places leases depends on them.</summary>
/// <remarks>Someone else's host answers 404 as an unknown one does, before the body is read: a caller learns nothing
/// of a host they do not run.</remarks>
internal static class MaintenanceApi
{
    private static readonly ListLimit Limit = new(Default: 100, Maximum: 1000);

    public static RouteGroupBuilder MapMaintenanceApi(this RouteGroupBuilder api)
    {
        var maintenance = api.MapGroup("/hosts/{id}/maintenance").WithTags("Hosts");
        maintenance.MapPost("", Declare).WithName("DeclareMaintenance")
            .WithSummary("Declare a maintenance window")
            .WithDescription("Declare a maintenance window for your host, ahead of time (the minimum notice is configuration); the matcher places no lease that would overlap it")
            .Accepts<MaintenanceRequest>("application/json")
            .WithParameter("id", OpenApiContract.HostIdPattern).ProducesProblem(StatusCodes.Status404NotFound);
        maintenance.MapGet("", List).WithName("ListMaintenance")
            .WithSummary("List a host's maintenance windows")
            .WithDescription("A host's maintenance windows, standing, past and withdrawn, the latest start first")
            .WithParameter("id", OpenApiContract.HostIdPattern).WithListLimit(Limit)
            .ProducesProblem(StatusCodes.Status404NotFound);
        maintenance.MapPost("/{windowId}/cancel", Cancel).WithName("CancelMaintenance")
            .WithSummary("Withdraw a maintenance window").WithDescription("Withdraw a maintenance window of your host before it begins")
            .WithParameter("id", OpenApiContract.HostIdPattern).WithParameter("windowId", minimum: 1)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<Results<Created<MaintenanceWindowView>, ProblemHttpResult>> Declare(
        string id, HttpRequest http, ClaimsPrincipal user, HostRegistry registry, MaintenanceService maintenance,
        IOptions<JsonOptions> json, CancellationToken ct)
    {
        if (Problem(id) is { } bad)
            return bad;
        if (OperatedHost(id, user, registry) is not { } host)
            return Unknown(id);

        // Read only now that the caller may declare; a body that is not the request is the client error handler's 400.
        var request = await JsonSerializer.DeserializeAsync<MaintenanceRequest>(http.Body, json.Value.SerializerOptions, ct);
        if (request is null)
            return Problems.Field("body", "a JSON object with from, to and an optional reason is expected");
        var declared = await maintenance.DeclareAsync(host, request.From, request.To, request.Reason, Caller(user), ct);
        if (declared.Window is not { } window)
            return Invalid(declared.Errors);
        return TypedResults.Created($"/api/v1/hosts/{host.Id}/maintenance", View(window));
    }

    private static async Task<Results<Ok<List<MaintenanceWindowView>>, ProblemHttpResult>> List(
        string id, int? limit, HostRegistry registry, MaintenanceStore store, CancellationToken ct)
    {
        if (Problem(id) is { } bad)
            return bad;
        if (Limit.Refuse(limit) is { } refused)
            return refused;
        if (!registry.TryGet(id, out _))
            return Unknown(id);
        var windows = await store.OfHostAsync(id, Limit.Of(limit), ct);
        return TypedResults.Ok(windows.Select(View).ToList());
    }

    private static async Task<Results<Ok<MaintenanceWindowView>, ProblemHttpResult>> Cancel(
        string id, long windowId, ClaimsPrincipal user, HostRegistry registry, MaintenanceService maintenance, CancellationToken ct)
    {
        if (Problem(id) is { } bad)
            return bad;
        if (OperatedHost(id, user, registry) is not { } host)
            return Unknown(id);
        var withdrawal = await maintenance.WithdrawAsync(host.Id, windowId, Caller(user), ct);
        if (withdrawal?.Window is not { } window)
            return Problems.NotFound($"host {id} has no maintenance window {windowId}");
        if (withdrawal.Refusal is { } refusal)
            return TypedResults.Problem(detail: refusal, statusCode: StatusCodes.Status409Conflict, title: "Cannot withdraw");
        return TypedResults.Ok(View(window));
    }

    /// <summary>The host when the caller runs it (the wallet it registered with) or is the network operator; null for
    /// an unknown host and for someone else's alike.</summary>
    private static HostEntry? OperatedHost(string id, ClaimsPrincipal user, HostRegistry registry)
    {
        if (!registry.TryGet(id, out var host))
            return null;
        if (user.IsInRole(GpunetClaims.AdminRole))
            return host;
        return host.IsOperatedBy(user.FindFirstValue(GpunetClaims.Address)) ? host : null;
    }

    private static string Caller(ClaimsPrincipal user) => user.FindFirstValue(GpunetClaims.Address) ?? GpunetClaims.AdminRole;

    private static ProblemHttpResult? Problem(string id) =>
        HostId.TryParse(id, out _) ? null : Problems.Field("id", $"'{(id.Length <= 40 ? id : id[..37] + "...")}' is not a host id (host- followed by 12 hex digits)");

    private static ProblemHttpResult Unknown(string id) => Problems.NotFound($"no host {id}");

    private static ProblemHttpResult Invalid(IReadOnlyList<MaintenanceFieldError> errors) => TypedResults.Problem(
        detail: Problems.Summary(errors),
        statusCode: StatusCodes.Status400BadRequest,
        title: "Invalid maintenance window",
        extensions: Problems.Listing(errors[0].Field, errors, e => new FieldProblem(e.Field, e.Message)));

    private static MaintenanceWindowView View(MaintenanceWindowRecord w) =>
        new(w.Id, w.HostId, w.From, w.To, w.Reason, w.DeclaredBy, w.DeclaredAt, w.CancelledAt);
}
