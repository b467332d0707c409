using System.Security.Claims;
using Gpunet.Coordinator.Auth;
using Gpunet.Coordinator.Compliance;
using Gpunet.Coordinator.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gpunet.Coordinator.Verification;

/// <summary>Checker licences: anyone signed in sees who the checkers are; only the network operator grants and revokes.</summary>
internal static class CheckersApi
{
    /// <summary>A network's checkers: every one, up to a network far larger than any today.</summary>
    private static readonly ListLimit Limit = new(Default: 10_000, Maximum: 10_000);

    public static RouteGroupBuilder MapCheckersApi(this RouteGroupBuilder api)
    {
        var checkers = api.MapGroup("/checkers").WithTags("Verification");
        checkers.MapGet("", List).WithName("ListCheckers").WithSummary("List checker licences")
            .WithDescription("Checker licences, active and revoked, oldest grant first, each with its checker's standing this week (incorrect marks, fail dissents, held back)")
            .WithListLimit(Limit).ProducesProblem(StatusCodes.Status400BadRequest);
        checkers.MapPost("", Grant).RequireAuthorization(GpunetPolicies.Operator).WithName("GrantCheckerLicence")
            .WithSummary("Grant a checker licence")
            .WithDescription("Grant a wallet a checker licence (the network operator); granting an active licence changes nothing")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        checkers.MapPost("/{address}/revoke", Revoke).RequireAuthorization(GpunetPolicies.Operator).WithName("RevokeCheckerLicence")
            .WithSummary("Revoke a checker licence").WithDescription("Revoke a checker's licence, with the reason (the network operator)")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    public static CheckerLicenceView View(CheckerLicenceRecord l) =>
        new(l.Address, l.RevokedAt is null ? "active" : "revoked", l.GrantedAt, l.GrantedBy, l.RevokedAt, l.RevokedBy, l.Reason);

    /// <summary>A licence with its checker's standing at <paramref name="now"/>.</summary>
    public static CheckerLicenceView View(CheckerLicenceRecord l, CheckerStandings standings, DateTimeOffset now)
    {
        var dissents = standings.DissentStandings(l.Address, now)
            .Select(s => new CheckerDissentView(s.Kind, s.Reports, s.FailDissents, s.Operators, Math.Round(s.Share, 6), s.HeldBack)).ToList();
        return View(l) with
        {
            Standing = new CheckerStandingView(standings.IncorrectThisWeek(l.Address, now), standings.Suspended(l.Address, now),
                dissents.Exists(d => d.HeldBack), dissents),
        };
    }

    private static async Task<Results<Ok<List<CheckerLicenceView>>, ProblemHttpResult>> List(int? limit, CheckerLicences licences,
        CheckerStandings standings, TimeProvider time, CancellationToken ct)
    {
        if (Limit.Refuse(limit) is { } refused)
            return refused;
        var now = time.GetUtcNow();
        return TypedResults.Ok((await licences.ListAsync(ct)).Take(Limit.Of(limit)).Select(l => View(l, standings, now)).ToList());
    }

    private static async Task<Results<Created<CheckerLicenceView>, Ok<CheckerLicenceView>, ProblemHttpResult>> Grant(
        LicenceRequest? request, ClaimsPrincipal user, CheckerLicences licences, CancellationToken ct)
    {
        if (request?.Address is not { } address || !ApiInput.TryAddress(address, out _, out _))
            return Problems.Field("address", "a wallet address: 0x and 40 hex digits");
        if (request.Reason is { Length: > 500 })
            return Problems.Field("reason", "at most 500 characters");
        var (licence, created) = await licences.GrantAsync(address, string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim(),
            ComplianceApi.Actor(user), ct);
        return created ? TypedResults.Created($"/api/v1/checkers/{licence.Address}", View(licence)) : TypedResults.Ok(View(licence));
    }

    private static async Task<Results<Ok<CheckerLicenceView>, ProblemHttpResult>> Revoke(
        string address, RevocationRequest? request, ClaimsPrincipal user, CheckerLicences licences, CheckerRoster roster, CancellationToken ct)
    {
        if (!ApiInput.TryAddress(address, out _, out _))
            return Problems.Field("address", "a wallet address: 0x and 40 hex digits");
        if (string.IsNullOrWhiteSpace(request?.Reason) || request.Reason.Length > 500)
            return Problems.Field("reason", "a revocation needs a reason (at most 500 characters)");
        if (await licences.RevokeAsync(address, request.Reason.Trim(), ComplianceApi.Actor(user), ct) is not { } licence)
            return Problems.NotFound($"an active checker licence for {address.ToLowerInvariant()}");
        // A revoked checker takes no further assignments: its stream ends now.
        roster.Of(licence.Address)?.Close();
        return TypedResults.Ok(View(licence));
    }
}
