using System.Threading.RateLimiting;
using Gpunet.Coordinator.Modules;
using Gpunet.Core.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Auth;

/// <summary>Who is calling: wallet sign-in (challenge, signed answer, bearer token), the operator's admin token, the
/// roles an endpoint requires, the sign-in rate limit.</summary>
internal static class AccessModule
{
    public static WebApplicationBuilder AddAccess(this WebApplicationBuilder builder, CoordinatorOptions settings)
    {
        var services = builder.Services;
        services.AddModuleOptions<AccessOptions>();
        var access = settings.Access;
        services.AddSingleton<ISignatureScheme>(Secp256k1SignatureScheme.Instance);
        services.AddSingleton(sp => SignInChallenges.From(sp.GetRequiredService<IOptions<AccessOptions>>().Value));
        services.AddSingleton(new AdminToken(access.AdminToken));
        services.AddRateLimiter(r =>
        {
            r.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // The client as forwarded by a trusted proxy, else the connection: a header from anyone else changes nothing.
            r.AddPolicy(AuthApi.RateLimitPolicy, ctx => RateLimitPartition.GetFixedWindowLimiter(
                ClientSource.Of(ctx.Connection.RemoteIpAddress),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = access.AuthRequestsPerMinute, Window = TimeSpan.FromMinutes(1) }));
        });

        services.AddDataProtection().SetApplicationName("gpunet-" + access.NetworkId);
        var keys = new DirectoryInfo(Path.Combine(settings.Store.DataDirectory, "keys"));
        services.AddOptions<KeyManagementOptions>().Configure<ILoggerFactory>((k, loggers) => k.XmlRepository = new OwnerOnlyKeyRepository(keys, loggers));
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

    /// <summary>Rate limits, then who is calling, then whether they may.</summary>
    public static WebApplication UseAccess(this WebApplication app)
    {
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    public static RouteGroupBuilder MapAccess(this RouteGroupBuilder api) => api.MapAuthApi();
}
