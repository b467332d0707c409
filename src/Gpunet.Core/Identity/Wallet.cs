using Nethereum.Signer;

namespace Gpunet.Core.Identity;

/// <summary>A secp256k1 key pair and its Ethereum-style address.</summary>
/// <remarks>Key generation takes its entropy from the operating system's CSPRNG inside Nethereum;
/// that is the one place the core accepts randomness it was not handed, because a key must not be
/// reproducible from a seed.</remarks>
public sealed class Wallet
{
    private readonly EthECKey _key;

    private Wallet(EthECKey key)
    {
        _key = key;
        Address = Address.Parse(key.GetPublicAddress());
    }

    /// <summary>The wallet's address.</summary>
    public Address Address { get; }

    /// <summary>The private key as 64 hex digits with a <c>0x</c> prefix. Keep it secret.</summary>
    public string PrivateKeyHex => "0x" + Convert.ToHexStringLower(_key.GetPrivateKeyAsBytes());

    /// <summary>Creates a new random key pair.</summary>
    public static Wallet Create() => new(EthECKey.GenerateKey());

    /// <summary>Loads a wallet from a hex private key (with or without <c>0x</c>).</summary>
    public static Wallet FromPrivateKey(string hex)
    {
        var t = hex.Trim();
        if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            t = t[2..];
        if (t.Length != 64 || !t.All(char.IsAsciiHexDigit))
            throw new FormatException("a private key is 64 hex digits (optionally prefixed by 0x)");
        return new Wallet(new EthECKey(t));
    }

    /// <summary>Signs a canonical message (EIP-191 personal_sign over its UTF-8 text).</summary>
    public string Sign(CanonicalMessage message) => new EthereumMessageSigner().EncodeUTF8AndSign(message.Text, _key);
}
