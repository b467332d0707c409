using System.Security.Claims;
using Gpunet.Coordinator.Compliance;
using Microsoft.AspNetCore.Authorization;

namespace Gpunet.Coordinator.Auth;

/// <summary>Authorization policies for endpoints that only some may call.</summary>
/// <remarks>Applied on the endpoint, so the authorization middleware refuses a caller before the endpoint binds (reads)
/// its body: a customer's 60 MB upload to an officer's endpoint is never read.</remarks>
internal static class GpunetPolicies
{
    /// <summary>Compliance officers: the admin token, or a wallet listed in <see cref="ComplianceOptions.ComplianceOfficers"/>.</summary>
    public const string Officer = "compliance-officer";

    /// <summary>The network operator: the admin token.</summary>
    public const string Operator = "operator";

    /// <summary>Adds the default policy (any signed-in caller) and the ones above.</summary>
    public static AuthorizationBuilder AddGpunetPolicies(this AuthorizationBuilder authorization) => authorization
        .SetDefaultPolicy(new AuthorizationPolicyBuilder(GpunetClaims.Scheme).RequireAuthenticatedUser().Build())
        .AddPolicy(Officer, p => p.AddAuthenticationSchemes(GpunetClaims.Scheme).RequireAuthenticatedUser().AddRequirements(new RoleRequirement(
            "this needs a compliance officer (the admin token, or a wallet listed in ComplianceOfficers)", IsOfficer)))
        .AddPolicy(Operator, p => p.AddAuthenticationSchemes(GpunetClaims.Scheme).RequireAuthenticatedUser().AddRequirements(new RoleRequirement(
            "this needs the network operator (the admin token)", (user, _) => user.IsInRole(GpunetClaims.AdminRole))));

    /// <summary>The admin token, or a wallet listed in <see cref="ComplianceOptions.ComplianceOfficers"/>.</summary>
    public static bool IsOfficer(ClaimsPrincipal user, ComplianceOptions options) =>
        user.IsInRole(GpunetClaims.AdminRole) ||
        (user.FindFirstValue(GpunetClaims.Address) is { } a && options.ComplianceOfficers.Contains(a, StringComparer.OrdinalIgnoreCase));
}
