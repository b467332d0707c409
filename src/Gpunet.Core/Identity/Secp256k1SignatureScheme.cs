namespace Gpunet.Core.Identity;

/// <summary>EIP-191 <c>personal_sign</c> signatures recovered with libsecp256k1's C# port (the default scheme).</summary>
public sealed class Secp256k1SignatureScheme : ISignatureScheme
{
    /// <summary>The shared instance; it holds no state.</summary>
    public static readonly Secp256k1SignatureScheme Instance = new();

    /// <inheritdoc />
    public Address? Recover(CanonicalMessage message, string signature) =>
        string.IsNullOrWhiteSpace(signature) ? null : Secp256k1.Recover(message.Text, signature);
}
