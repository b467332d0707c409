using System.Security.Claims;
using Gpunet.Coordinator.Compliance;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Auth;

/// <summary>A caller must hold a role (<see cref="GpunetPolicies"/>); its own handler, with the sentence a refused
/// caller reads.</summary>
internal sealed class RoleRequirement(string refusal, Func<ClaimsPrincipal, ComplianceOptions, bool> allows)
    : AuthorizationHandler<RoleRequirement>, IAuthorizationRequirement
{
    /// <summary>Why a caller without the role is refused, for the 403 problem.</summary>
    public string Refusal { get; } = refusal;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RoleRequirement requirement)
    {
        // The endpoint's HttpContext is the resource: the options in force come from its services.
        if (context.Resource is HttpContext http
            && requirement.Allows(context.User, http.RequestServices.GetRequiredService<IOptions<ComplianceOptions>>().Value))
            context.Succeed(requirement);
        return Task.CompletedTask;
    }

    private bool Allows(ClaimsPrincipal user, ComplianceOptions options) => allows(user, options);
}
