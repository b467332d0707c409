namespace Gpunet.Contracts.Auth;

/// <summary>The roles a token carries, as <see cref="WhoAmI.Role"/> names them.</summary>
public static class ApiRoles
{
    /// <summary>A wallet signed in with a challenge.</summary>
    public const string Customer = "customer";

    /// <summary>The operator's admin token.</summary>
    public const string Admin = "admin";
}
