using System.Diagnostics.CodeAnalysis;
using Gpunet.Core.Identity;
using System.Security.Cryptography;
using System.Text;

namespace Gpunet.Core.Hosts;

/// <summary>A container's identity: <c>host-</c> and 12 hex digits derived from its hardware fingerprint.</summary>
/// <remarks>Same fingerprint, same id: an agent that re-registers after a restart is the same host. A changed
/// fingerprint (new NIC, CPU or GPU) is a new container.</remarks>
public readonly record struct HostId
{
    private const string Prefix = "host-";
    private readonly string? _value;

    private HostId(string value) => _value = value;

    public string Value => _value ?? throw new InvalidOperationException("Default HostId has no value.");

    /// <summary>The id of the container with this hardware fingerprint.</summary>
    public static HostId FromFingerprint(string fingerprint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fingerprint);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(fingerprint));
        return new HostId(Prefix + Convert.ToHexStringLower(hash.AsSpan(0, 6)));
    }

    public static bool TryParse(string? text, [NotNullWhen(true)] out HostId? id)
    {
        id = PrefixedHexId.IsValid(text, Prefix) ? new HostId(text!) : null;
        return id is not null;
    }

    public override string ToString() => Value;
}
