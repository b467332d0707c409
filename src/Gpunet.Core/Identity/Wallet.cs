using System.Security.Cryptography;
using NBitcoin.Secp256k1;

namespace Gpunet.Core.Identity;

/// <summary>A secp256k1 key pair and its Ethereum-style address.</summary>
/// <remarks>Key generation takes its entropy from the operating system's CSPRNG; that is the one place the
/// core accepts randomness it was not handed, because a key must not be reproducible from a seed.</remarks>
public sealed class Wallet
{
    private readonly ECPrivKey _key;

    private Wallet(ECPrivKey key)
    {
        _key = key;
        Address = Secp256k1.AddressOf(key.CreatePubKey());
    }

    /// <summary>The wallet's address.</summary>
    public Address Address { get; }

    /// <summary>The private key as 64 hex digits with a <c>0x</c> prefix. Keep it secret.</summary>
    public string PrivateKeyHex
    {
        get
        {
            Span<byte> raw = stackalloc byte[32];
            _key.WriteToSpan(raw);
            return "0x" + Convert.ToHexStringLower(raw);
        }
    }

    /// <summary>Creates a new random key pair.</summary>
    public static Wallet Create()
    {
        Span<byte> raw = stackalloc byte[32];
        while (true)
        {
            RandomNumberGenerator.Fill(raw);
            // Rejects the (astronomically rare) zero or out-of-range scalar.
            if (ECPrivKey.TryCreate(raw, out var key) && key is not null)
                return new Wallet(key);
        }
    }

    /// <summary>Loads a wallet from a hex private key (with or without <c>0x</c>).</summary>
    public static Wallet FromPrivateKey(string hex)
    {
        var t = hex.Trim();
        if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            t = t[2..];
        if (t.Length != 64 || !t.All(char.IsAsciiHexDigit))
            throw new FormatException("a private key is 64 hex digits (optionally prefixed by 0x)");
        if (!ECPrivKey.TryCreate(Convert.FromHexString(t), out var key) || key is null)
            throw new FormatException("the private key is not a valid secp256k1 scalar");
        return new Wallet(key);
    }

    /// <summary>Signs a canonical message (EIP-191 personal_sign over its UTF-8 text): 0x r || s || v.</summary>
    public string Sign(CanonicalMessage message) => Secp256k1.Sign(_key, message.Text);
}
