using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Auth;

/// <summary>Authenticates the network operator's <c>Authorization: Bearer gpa_…</c> token.</summary>
internal sealed class AdminTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AdminToken adminToken) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer " + GpunetClaims.AdminTokenPrefix, StringComparison.Ordinal))
            return Task.FromResult(AuthenticateResult.NoResult());
        var given = Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim());
        if (!CryptographicOperations.FixedTimeEquals(given, adminToken.Bytes))
            return Task.FromResult(AuthenticateResult.Fail("invalid admin token"));
        var identity = new ClaimsIdentity(
            [new Claim(GpunetClaims.Role, GpunetClaims.AdminRole), new Claim(ClaimTypes.Name, "admin")],
            GpunetClaims.AdminScheme, ClaimTypes.Name, GpunetClaims.Role);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }
}
