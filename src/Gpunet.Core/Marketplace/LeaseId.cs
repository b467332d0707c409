using System.Diagnostics.CodeAnalysis;
using Gpunet.Core.Identity;

namespace Gpunet.Core.Marketplace;

/// <summary>A lease's identity: <c>lease-</c> and 12 lowercase hex digits.</summary>
/// <remarks>The coordinator draws the digits from a cryptographic source (the core has no randomness of its own), so
/// an id says nothing about other leases. It also names the lease's working directory on the agent.</remarks>
public readonly record struct LeaseId
{
    private const string Prefix = "lease-";
    private readonly string? _value;

    private LeaseId(string value) => _value = value;

    public string Value => _value ?? throw new InvalidOperationException("Default LeaseId has no value.");

    /// <summary>The id with these 6 random bytes.</summary>
    public static LeaseId FromRandom(ReadOnlySpan<byte> sixBytes)
    {
        if (sixBytes.Length != 6)
            throw new ArgumentException("a lease id takes 6 random bytes", nameof(sixBytes));
        return new LeaseId(Prefix + Convert.ToHexStringLower(sixBytes));
    }

    public static bool TryParse(string? text, [NotNullWhen(true)] out LeaseId? id)
    {
        id = PrefixedHexId.IsValid(text, Prefix) ? new LeaseId(text!) : null;
        return id is not null;
    }

    public override string ToString() => Value;
}
