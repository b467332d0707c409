using System.Security.Claims;
using System.Security.Cryptography;
using Gpunet.Core.Identity;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Auth;

/// <summary>Wallet sign-in: challenge → signature → short-lived bearer token.</summary>
internal static class AuthApi
{
    /// <summary>Per-client-address limit on sign-in requests (see <see cref="CoordinatorApp"/>).</summary>
    public const string RateLimitPolicy = "auth";

    public static RouteGroupBuilder MapAuthApi(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Auth").RequireRateLimiting(RateLimitPolicy);
        auth.MapPost("/challenge", Challenge).WithName("CreateChallenge")
            .WithSummary("Create a sign-in challenge").WithDescription("Ask for a single-use challenge to sign with your wallet").AllowAnonymous()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        auth.MapPost("/token", Token).WithName("CreateToken")
            .WithSummary("Sign in with a signed challenge").WithDescription("Trade a signed challenge for a short-lived bearer token").AllowAnonymous()
            .Produces<AccessTokenResponse>().ProducesProblem(StatusCodes.Status401Unauthorized);
        api.MapGet("/me", Me).WithName("WhoAmI").WithTags("Auth").WithSummary("Who a token belongs to").WithDescription("Who the presented token belongs to");
        return api;
    }

    private static async Task<Results<Ok<ChallengeResponse>, ProblemHttpResult>> Challenge(
        ChallengeRequest request, HttpContext http, SignInChallenges challenges, IOptions<AccessOptions> options, TimeProvider time)
    {
        if (!ApiInput.TryAddress(request.Address, out var address, out var error))
            return Problems.Field("address", error);
        var network = options.Value.NetworkId;
        var issue = await challenges.Customers.TryIssueAsync(address, SignInMessages.ApiToken, network, RandomNumberGenerator.GetHexString(32, lowercase: true),
            ClientSource.Of(http.Connection.RemoteIpAddress), time.GetUtcNow(), http.RequestAborted);
        if (issue.Challenge is not { } c)
        {
            var why = issue.Refusal.Describe(challenges.Customers.Limits);
            return issue.Refusal == ChallengeRefusal.SourceBusy
                ? TypedResults.Problem(
                    $"{why}; answer one, or ask again when they expire ({challenges.Customers.Lifetime.TotalSeconds:0} s after they were issued)",
                    statusCode: StatusCodes.Status429TooManyRequests, title: "Too many sign-ins in progress")
                : TypedResults.Problem($"{why}; try again in a minute", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var text = SignInMessages.ForApiToken(network, address, c.Nonce, c.IssuedAt).Text;
        return TypedResults.Ok(new ChallengeResponse(c.Nonce, network, c.Purpose, c.IssuedAt.ToUnixTimeSeconds(), c.ExpiresAt, text));
    }

    private static async Task<Results<SignInHttpResult, ProblemHttpResult>> Token(
        TokenRequest request, SignInChallenges challenges, ISignatureScheme scheme, IOptions<AccessOptions> options, TimeProvider time,
        CancellationToken ct)
    {
        if (!ApiInput.TryAddress(request.Address, out var address, out var error))
            return Problems.Field("address", error);
        if (string.IsNullOrWhiteSpace(request.Nonce) || request.Nonce.Length > 128)
            return Problems.Field("nonce", "the nonce from POST /api/v1/auth/challenge is required");
        if (request.Timestamp is not { } ts || ts < 0 || ts > 253402300799)
            return Problems.Field("timestamp", "unix seconds, as returned by the challenge, are required");
        if (string.IsNullOrWhiteSpace(request.Signature))
            return Problems.Field("signature", "a 65-byte hex signature is required");

        CanonicalMessage message;
        try
        {
            message = SignInMessages.ForApiToken(options.Value.NetworkId, address, request.Nonce, DateTimeOffset.FromUnixTimeSeconds(ts));
        }
        catch (ArgumentException e)
        {
            return Problems.Field("nonce", e.Message);
        }

        var outcome = await challenges.Customers.RedeemAsync(message, request.Signature, scheme, time.GetUtcNow(), ct);
        if (outcome != ChallengeOutcome.Accepted)
            return TypedResults.Problem(outcome.Describe(), statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in refused");

        return TypedResults.SignIn(GpunetClaims.BearerPrincipal(address.Value), authenticationScheme: BearerTokenDefaults.AuthenticationScheme);
    }

    private static Ok<WhoAmI> Me(ClaimsPrincipal user) =>
        TypedResults.Ok(new WhoAmI(user.FindFirstValue(GpunetClaims.Role) ?? "unknown", user.FindFirstValue(GpunetClaims.Address)));
}
