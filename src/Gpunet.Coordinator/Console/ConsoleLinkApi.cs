using System.Security.Claims;
using Gpunet.Contracts.Console;
using Gpunet.Coordinator.Auth;
using Gpunet.Coordinator.Edge;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Console;

/// <summary>One-time console sign-in links: made by a signed-in caller (<c>gpunet login --web</c>), opened once in a
/// browser for the same bearer token the API gives.</summary>
internal static class ConsoleLinkApi
{
    public static RouteGroupBuilder MapConsoleLinkApi(this RouteGroupBuilder api)
    {
        var links = api.MapGroup("/auth/console-links").WithTags("Auth");
        links.MapPost("", Create).WithName("CreateConsoleLink")
            .WithSummary("Create a console sign-in link")
            .WithDescription("A one-time link that signs a browser into the console as you (gpunet login --web); it expires in minutes");
        links.MapPost("/redeem", Redeem).WithName("RedeemConsoleLink").AllowAnonymous().RequireRateLimiting(AuthApi.RateLimitPolicy)
            .WithSummary("Redeem a console sign-in link").WithDescription("Trade a console link's code, once, for a short-lived bearer token")
            .Produces<AccessTokenResponse>().ProducesProblem(StatusCodes.Status401Unauthorized);
        return api;
    }

    private static async Task<Ok<ConsoleLinkView>> Create(ClaimsPrincipal user, HttpRequest request, ConsoleLinks links, IOptions<EdgeOptions> edge, CancellationToken ct)
    {
        // A wallet's session signs in that wallet; the admin token's, the operator.
        var address = user.IsInRole(GpunetClaims.AdminRole) ? null : user.FindFirstValue(GpunetClaims.Address);
        var (code, expires) = await links.IssueAsync(address, ct);
        // The code rides in the fragment, which browsers never send in a request (nor do proxies log it).
        // Behind a proxy the request's own scheme and host are the proxy's side of it: the configured public address is
        // the one a person's browser reaches.
        var root = edge.Value.PublicUrl is { Length: > 0 } publicUrl ? publicUrl.TrimEnd('/') : $"{request.Scheme}://{request.Host}{request.PathBase}";
        var url = $"{root}/#link={code}";
        return TypedResults.Ok(new ConsoleLinkView(url, code, expires));
    }

    private static async Task<Results<SignInHttpResult, ProblemHttpResult>> Redeem(ConsoleLinkRedeemRequest request, ConsoleLinks links, CancellationToken ct)
    {
        if (request.Code is not { Length: >= 43 and <= 64 } code)
            return Problems.Field("code", "the code from the link's fragment (#link=…) is required");
        if (await links.RedeemAsync(code, ct) is not { } link)
            return TypedResults.Problem("this link is unknown, was used already or has expired: run gpunet login --web again",
                statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in refused");
        return TypedResults.SignIn(GpunetClaims.BearerPrincipal(link.Role == GpunetClaims.AdminRole ? null : link.Address),
            authenticationScheme: BearerTokenDefaults.AuthenticationScheme);
    }
}
