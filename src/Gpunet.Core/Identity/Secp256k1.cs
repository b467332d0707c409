using System.Text;
using NBitcoin.Secp256k1;
using Nethereum.Util;

namespace Gpunet.Core.Identity;

/// <summary>EIP-191 personal_sign hashing, signing and ecrecover: on libsecp256k1 itself where it loads
/// (<see cref="NativeSecp256k1"/>), else on its C# port (NBitcoin.Secp256k1).</summary>
/// <remarks>Hand-wired rather than through Nethereum's signer because it is several times faster here (measured:
/// Nethereum signs in ~3.1 ms and recovers in ~1.1 ms on one core); Nethereum stays the reference implementation
/// that the differential tests compare against.</remarks>
internal static class Secp256k1
{
    /// <summary>keccak256("\x19Ethereum Signed Message:\n" + len(message) + message).</summary>
    public static byte[] PersonalMessageHash(string text)
    {
        var message = Encoding.UTF8.GetBytes(text);
        var prefix = Encoding.UTF8.GetBytes("\u0019Ethereum Signed Message:\n" + message.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var all = new byte[prefix.Length + message.Length];
        prefix.CopyTo(all, 0);
        message.CopyTo(all, prefix.Length);
        return Sha3Keccack.Current.CalculateHash(all);
    }

    /// <summary>The Ethereum address of a public key: the last 20 bytes of keccak256(X || Y).</summary>
    public static Address AddressOf(ECPubKey key)
    {
        Span<byte> uncompressed = stackalloc byte[65];
        key.WriteToSpan(false, uncompressed, out _);
        return AddressOf(uncompressed);
    }

    /// <summary>The address of an uncompressed public key (0x04 || X || Y).</summary>
    public static Address AddressOf(ReadOnlySpan<byte> uncompressed65)
    {
        var hash = Sha3Keccack.Current.CalculateHash(uncompressed65[1..].ToArray());
        return Address.Parse("0x" + Convert.ToHexStringLower(hash.AsSpan(12)));
    }

    /// <summary>A 65-byte r || s || v signature (v = 27 + recovery id), hex with 0x.</summary>
    public static string Sign(ECPrivKey key, string text) => Sign(key, text, NativeSecp256k1.Available);

    /// <summary><see cref="Sign(ECPrivKey, string)"/> on the native library or on the C# port, for the tests that compare them.</summary>
    internal static string Sign(ECPrivKey key, string text, bool native)
    {
        var hash = PersonalMessageHash(text);
        Span<byte> out65 = stackalloc byte[65];
        if (native)
        {
            Span<byte> secret = stackalloc byte[32];
            key.WriteToSpan(secret);
            var signed = NativeSecp256k1.TrySign(hash, secret, out65);
            secret.Clear();
            if (!signed)
                throw new InvalidOperationException("signing failed");
        }
        else
        {
            SignManaged(key, hash).CopyTo(out65);
        }

        out65[64] = (byte)(27 + out65[64]);
        return "0x" + Convert.ToHexStringLower(out65);
    }

    /// <summary>The port's r || s || recovery id (65 bytes) over a 32-byte hash.</summary>
    internal static byte[] SignManaged(ECPrivKey key, byte[] hash)
    {
        if (!key.TrySignRecoverable(hash, out var sig) || sig is null)
            throw new InvalidOperationException("signing failed");
        var out65 = new byte[65];
        sig.WriteToSpanCompact(out65.AsSpan(0, 64), out var recid);
        out65[64] = (byte)recid;
        return out65;
    }

    /// <summary>The signer's address, or null if the signature is malformed or recovers nothing.</summary>
    public static Address? Recover(string text, string signature) => Recover(text, signature, NativeSecp256k1.Available);

    /// <summary><see cref="Recover(string, string)"/> on the native library or on the C# port.</summary>
    internal static Address? Recover(string text, string signature, bool native)
    {
        var hex = signature.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? signature.AsSpan(2) : signature.AsSpan();
        if (hex.Length != 130)
            return null;
        Span<byte> raw = stackalloc byte[65];
        if (Convert.FromHexString(hex, raw, out _, out var written) != System.Buffers.OperationStatus.Done || written != 65)
            return null;
        int v = raw[64];
        var recid = v >= 27 ? v - 27 : v;
        // Only 0 and 1, as Ethereum's ecrecover: ids 2 and 3 (R.x = r + n) never come from a real signer
        // (odds ~2^-127), and NBitcoin.Secp256k1 4.0.4 checks them against n instead of p - n, so it
        // "recovers" a bogus key from them where libsecp256k1 and Nethereum recover nothing.
        if (recid is < 0 or > 1)
            return null;
        var hash = PersonalMessageHash(text);
        if (native)
        {
            Span<byte> key = stackalloc byte[65];
            return NativeSecp256k1.TryRecover(raw[..64], recid, hash, key) ? AddressOf(key) : null;
        }

        if (!SecpRecoverableECDSASignature.TryCreateFromCompact(raw[..64], recid, out var sig) || sig is null)
            return null;
        return ECPubKey.TryRecover(Context.Instance, sig, hash, out var pub) && pub is not null ? AddressOf(pub) : null;
    }
}
