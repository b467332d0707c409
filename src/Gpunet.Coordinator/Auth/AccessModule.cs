using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Gpunet.Coordinator.Modules;
using Gpunet.Core.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Auth;

/// <summary>Who is calling: wallet sign-in (challenge, signed answer, bearer token), the operator's admin token, the
/// roles an endpoint requires, the sign-in rate limit and every participant's request limit.</summary>
internal static class AccessModule
{
    public static WebApplicationBuilder AddAccess(this WebApplicationBuilder builder, CoordinatorOptions settings)
    {
        var services = builder.Services;
        services.AddModuleOptions<AccessOptions>();
        var access = settings.Access;
        services.AddSingleton<ISignatureScheme>(Secp256k1SignatureScheme.Instance);
        services.AddSingleton(sp => SignInChallenges.From(
            sp.GetRequiredService<IOptions<AccessOptions>>().Value, sp.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Storage.GpunetDb>>()));
        services.AddSingleton(new AdminToken(access.AdminToken));
        var budget = new RateLimitHeaders(access.RequestsPerMinute, access.AuthRequestsPerMinute);
        services.AddSingleton(budget);
        services.AddRateLimiter(r =>
        {
            r.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // The client as forwarded by a trusted proxy, else the connection: a header from anyone else changes nothing.
            r.AddPolicy(AuthApi.RateLimitPolicy, ctx => RateLimitPartition.GetFixedWindowLimiter(
                ClientSource.Of(ctx.Connection.RemoteIpAddress),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = access.AuthRequestsPerMinute, Window = TimeSpan.FromMinutes(1) }));
            var participants = PerParticipant(access.RequestsPerMinute);
            r.GlobalLimiter = participants;
            r.OnRejected = (rejected, ct) =>
            {
                var http = rejected.HttpContext;
                var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)) : 1;
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                budget.AddRefused(http, participants, seconds);
                return new ValueTask(TypedResults.Problem("too many requests from you; wait as Retry-After says",
                    statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests").ExecuteAsync(http));
            };
        });

        // Bearer tokens are protected with the network's key ring, in the shared store: a token from one coordinator is
        // good at every other. The application name (the keys' purpose) is the network's, the same on every coordinator.
        services.AddSingleton<StoredKeyRepository>();
        services.AddHostedService<KeyRingStartup>(); // before the framework's start-up service, which reads the ring
        services.AddDataProtection().SetApplicationName("gpunet-" + access.NetworkId);
        services.AddOptions<KeyManagementOptions>().Configure<StoredKeyRepository>((k, keys) => k.XmlRepository = keys);
        services.AddAuthentication(GpunetClaims.Scheme)
            .AddPolicyScheme(GpunetClaims.Scheme, "Admin token or wallet bearer token", p => p.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer " + GpunetClaims.AdminTokenPrefix, StringComparison.Ordinal)
                    ? GpunetClaims.AdminScheme
                    : BearerTokenDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, AdminTokenHandler>(GpunetClaims.AdminScheme, null)
            .AddBearerToken(b => b.BearerTokenExpiration = access.TokenLifetime);
        services.AddAuthorizationBuilder().AddGpunetPolicies();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, RefusalProblems>();
        return builder;
    }

    /// <summary>Who is calling, then rate limits (per participant, so the caller must be known), then whether they may.</summary>
    public static WebApplication UseAccess(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseRateLimiter();
        var budget = app.Services.GetRequiredService<RateLimitHeaders>();
        var participants = app.Services.GetRequiredService<IOptions<RateLimiterOptions>>().Value.GlobalLimiter!;
        app.Use((http, next) =>
        {
            budget.Add(http, participants);
            return next(http);
        });
        app.UseAuthorization();
        return app;
    }

    // Every participant's requests, each in its own bucket: a wallet signed in by its address, anyone else by the client
    // address. The operator's admin token is not limited, nor are agents' gRPC streams (one long call each, limited by
    // the agents' own sign-in and stream rules).
    private static PartitionedRateLimiter<HttpContext> PerParticipant(int perMinute)
    {
        var refill = MinuteRefill.Of(perMinute);
        return PartitionedRateLimiter.Create<HttpContext, string>(http =>
        {
            if (http.User.IsInRole(GpunetClaims.AdminRole) || http.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
                return RateLimitPartition.GetNoLimiter("unlimited");
            return RateLimitPartition.GetTokenBucketLimiter(Participant(http), _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = perMinute,
                TokensPerPeriod = refill.Tokens,
                ReplenishmentPeriod = refill.Period,
                QueueLimit = 0,
            });
        });
    }

    /// <summary>Whose bucket a request counts in: a signed-in wallet by its address, anyone else by the client address (as
    /// forwarded by a trusted proxy, else the connection's).</summary>
    public static string Participant(HttpContext http) =>
        http.User.FindFirstValue(GpunetClaims.Address) is { } address ? "wallet:" + address : "client:" + ClientSource.Of(http.Connection.RemoteIpAddress);

    public static RouteGroupBuilder MapAccess(this RouteGroupBuilder api) => api.MapAuthApi();
}
