using Nethereum.Signer;

namespace Gpunet.Core.Identity;

/// <summary>EIP-191 <c>personal_sign</c> signatures recovered with Nethereum's secp256k1 ecrecover.</summary>
public sealed class EthereumSignatureScheme : ISignatureScheme
{
    /// <summary>The shared instance; it holds no state.</summary>
    public static readonly EthereumSignatureScheme Instance = new();

    /// <inheritdoc />
    public Address? Recover(CanonicalMessage message, string signature)
    {
        if (string.IsNullOrWhiteSpace(signature))
            return null;
        var hex = signature.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? signature[2..] : signature;
        // 65 bytes: r (32) || s (32) || v (1).
        if (hex.Length != 130 || !hex.All(char.IsAsciiHexDigit))
            return null;
        try
        {
            var recovered = new EthereumMessageSigner().EncodeUTF8AndEcRecover(message.Text, signature);
            return Address.TryParse(recovered, out var address) ? address : null;
        }
#pragma warning disable CA1031 // a malformed signature is an answer (null), not an error of ours
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }
}
