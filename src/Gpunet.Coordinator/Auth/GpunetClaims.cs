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
}
