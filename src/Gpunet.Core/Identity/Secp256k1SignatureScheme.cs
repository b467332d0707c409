namespace Gpunet.Core.Identity;

/// <summary>EIP-191 <c>personal_sign</c> signatures recovered with libsecp256k1 (the default scheme): the native
/// library where it loads, else its C# port.</summary>
public sealed class Secp256k1SignatureScheme : ISignatureScheme
{
    private readonly bool _native;

    private Secp256k1SignatureScheme(bool native) => _native = native;

    /// <summary>The shared instance: native where the library loads (<see cref="NativeSecp256k1"/>); it holds no state.</summary>
    public static readonly Secp256k1SignatureScheme Instance = new(NativeSecp256k1.Available);

    /// <summary>Always the C# port (NBitcoin.Secp256k1), the fallback; for comparison.</summary>
    public static readonly Secp256k1SignatureScheme Managed = new(native: false);

    /// <summary>Whether this scheme recovers on the native library.</summary>
    public bool Native => _native;

    /// <inheritdoc />
    public Address? Recover(CanonicalMessage message, string signature) =>
        string.IsNullOrWhiteSpace(signature) ? null : Secp256k1.Recover(message.Text, signature, _native);
}
