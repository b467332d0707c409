using System.Security.Cryptography;
using System.Text;

namespace Gpunet.Coordinator.Auth;

/// <summary>The operator token of this coordinator: configured, or generated at start.</summary>
/// <remarks>Configuration is what makes it the network's: every coordinator of one network is given the same one
/// (<c>Coordinator:AdminToken</c>, <c>--admin-token</c>, <c>$GPUNET_ADMIN_TOKEN</c>). A generated one is good on its
/// coordinator only, until that stops; it is not stored, so the store never holds a way in for the operator.</remarks>
public sealed class AdminToken
{
    public AdminToken(string? configured)
    {
        Value = string.IsNullOrWhiteSpace(configured)
            ? GpunetClaims.AdminTokenPrefix + RandomNumberGenerator.GetHexString(40, lowercase: true)
            : configured.Trim();
        if (!Value.StartsWith(GpunetClaims.AdminTokenPrefix, StringComparison.Ordinal) || Value.Length < 24)
            throw new ArgumentException($"an admin token starts with '{GpunetClaims.AdminTokenPrefix}' and has at least 20 more characters");
        Bytes = Encoding.UTF8.GetBytes(Value);
    }

    public string Value { get; }

    internal byte[] Bytes { get; }
}
