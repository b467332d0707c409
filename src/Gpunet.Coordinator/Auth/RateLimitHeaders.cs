using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Gpunet.Coordinator.Auth;

/// <summary>Tells each limited caller its request budget, as the IETF's RateLimit header fields
/// (draft-ietf-httpapi-ratelimit-headers): <c>RateLimit-Policy: "participant";q=1200;w=60</c> (the quota per window
/// in seconds; a sign-in endpoint lists its stricter <c>"sign-in"</c> policy too) and <c>RateLimit:
/// "participant";r=1187;t=1</c> (the requests left now and the seconds until the budget is whole again). A 429 says
/// <c>r=0</c> and, in <c>t</c> and <c>Retry-After</c>, when the next request can go through.</summary>
/// <remarks>Read from the limiter that decided the request (its bucket's tokens after this request took one), so a
/// client paces itself on what the coordinator will do. The operator's admin token and agents' gRPC streams are not
/// limited and get no fields.</remarks>
internal sealed class RateLimitHeaders(int perMinute, int signInPerMinute)
{
    /// <summary>The header field that names the caller's budgets.</summary>
    public const string PolicyField = "RateLimit-Policy";

    /// <summary>The header field that says what is left of the budget.</summary>
    public const string Field = "RateLimit";

    /// <summary>The policy name both header fields use for the per-participant budget.</summary>
    public const string Participant = "participant";

    /// <summary>The policy name of the sign-in endpoints' per-address budget.</summary>
    public const string SignIn = "sign-in";

    private readonly string _policy = Item(Participant, perMinute);
    private readonly string _signInPolicy = Item(Participant, perMinute) + ", " + Item(SignIn, signInPerMinute);
    private readonly MinuteRefill _refill = MinuteRefill.Of(perMinute);

    /// <summary>Adds both fields to a request the participant limiter let through.</summary>
    public void Add(HttpContext http, PartitionedRateLimiter<HttpContext> limiter)
    {
        if (!Limited(http) || limiter.GetStatistics(http) is not { } stats)
            return;
        var left = Math.Max(0, stats.CurrentAvailablePermits);
        var headers = http.Response.Headers;
        headers[PolicyField] = PolicyOf(http);
        headers[Field] = Current(Participant, left, _refill.SecondsUntilWhole(perMinute, left));
    }

    /// <summary>Adds both fields to a refused request: nothing left, of the policy that refused it, until
    /// <paramref name="retryAfterSeconds"/>. On a sign-in endpoint whose participant bucket still holds a token, the
    /// sign-in limit refused it; anywhere else only the participant budget can have.</summary>
    public void AddRefused(HttpContext http, PartitionedRateLimiter<HttpContext> limiter, int retryAfterSeconds)
    {
        if (!Limited(http))
            return;
        var headers = http.Response.Headers;
        var signInEndpoint = IsSignIn(http);
        headers[PolicyField] = signInEndpoint ? _signInPolicy : _policy;
        var signIn = signInEndpoint && limiter.GetStatistics(http) is { CurrentAvailablePermits: > 0 };
        headers[Field] = Current(signIn ? SignIn : Participant, 0, retryAfterSeconds);
    }

    private static bool Limited(HttpContext http) =>
        !http.User.IsInRole(GpunetClaims.AdminRole) && http.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) != true;

    private string PolicyOf(HttpContext http) => IsSignIn(http) ? _signInPolicy : _policy;

    private static bool IsSignIn(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == AuthApi.RateLimitPolicy;

    private static string Item(string name, int perMinute) => string.Create(CultureInfo.InvariantCulture, $"\"{name}\";q={perMinute};w=60");

    private static string Current(string name, long left, long seconds) =>
        string.Create(CultureInfo.InvariantCulture, $"\"{name}\";r={left};t={Math.Max(0, seconds)}");
}
