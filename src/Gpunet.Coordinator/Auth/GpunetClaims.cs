using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.BearerToken;

namespace Gpunet.Coordinator.Auth;

/// <summary>Claim types and roles used by the coordinator.</summary>
public static class GpunetClaims
{
    public const string Address = "gpunet:address";
    public const string Role = "gpunet:role";
    public const string AdminRole = ApiRoles.Admin;
    public const string CustomerRole = ApiRoles.Customer;

    /// <summary>The scheme that picks the admin-token or bearer-token handler.</summary>
    public const string Scheme = "Gpunet";
    public const string AdminScheme = "AdminToken";

    /// <summary>Prefix of admin tokens, so one Authorization header can carry either kind.</summary>
    public const string AdminTokenPrefix = "gpa_";

    /// <summary>Who a bearer token signs in: the wallet at <paramref name="address"/> (a customer), or with null the
    /// network operator (a console link the admin token made).</summary>
    public static ClaimsPrincipal BearerPrincipal(string? address)
    {
        Claim[] claims = address is null
            ? [new Claim(Role, AdminRole), new Claim(ClaimTypes.Name, "admin")]
            : [new Claim(Address, address), new Claim(Role, CustomerRole), new Claim(ClaimTypes.Name, address)];
        return new ClaimsPrincipal(new ClaimsIdentity(claims, BearerTokenDefaults.AuthenticationScheme, ClaimTypes.Name, Role));
    }
}
