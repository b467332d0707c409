using System.Security.Cryptography;
using System.Text;

namespace Gpunet.Coordinator.Auth;

/// <summary>The operator token of this coordinator: configured, or generated at start.</summary>
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
