using Secp256k1Net;

namespace Gpunet.Core.Identity;

/// <summary>Signing and ecrecover through libsecp256k1 itself (the native library <c>Secp256k1.Net</c> ships), where it
/// loads: a reconnect storm's coordinator recovers one signature per agent, and the C# port
/// (<see cref="Secp256k1"/>'s fallback) takes 5 to 10 times as long (measured: sign 0.7 ms against 0.04 ms, recover 0.38 ms
/// against 0.06 ms on one core).</summary>
/// <remarks>Each thread uses its own context. Where the library does
/// not load (a platform without a shipped build), <see cref="Available"/> is false and the port is used; both give the
/// same bytes (RFC 6979 nonces, low s), which the tests check.</remarks>
internal static class NativeSecp256k1
{
    private static readonly Lazy<bool> Loaded = new(Probe);

    // One context per thread: the wrapper's thread-safety is not documented, libsecp256k1's contexts are cheap.
    [ThreadStatic]
    private static Secp256k1Net.Secp256k1? _context;

    private static Secp256k1Net.Secp256k1 Context => _context ??= new Secp256k1Net.Secp256k1();

    /// <summary>Whether the native library loaded and signs and recovers a known vector as the port does.</summary>
    public static bool Available => Loaded.Value;

    /// <summary>Signs a 32-byte hash with a 32-byte secret key into r || s || recovery id (65 bytes).</summary>
    public static bool TrySign(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> secretKey, Span<byte> compact65)
    {
        var secp = Context;
        Span<byte> signature = stackalloc byte[65];
        if (!secp.EcdsaSignRecoverable(signature, hash, secretKey))
            return false;
        if (!secp.EcdsaRecoverableSignatureSerializeCompact(compact65[..64], out var recid, signature))
            return false;
        compact65[64] = (byte)recid;
        return true;
    }

    /// <summary>The uncompressed public key (65 bytes, 0x04 || X || Y) that signed <paramref name="hash"/>, or false.</summary>
    public static bool TryRecover(ReadOnlySpan<byte> compact64, int recid, ReadOnlySpan<byte> hash, Span<byte> uncompressed65)
    {
        var secp = Context;
        Span<byte> signature = stackalloc byte[65];
        Span<byte> key = stackalloc byte[64];
        if (!secp.EcdsaRecoverableSignatureParseCompact(signature, compact64, recid) || !secp.EcdsaRecover(key, signature, hash))
            return false;
        nuint length = 65;
        return secp.EcPubkeySerialize(uncompressed65, ref length, key, Secp256k1EcFlags.Uncompressed) && length == 65;
    }

    private static bool Probe()
    {
        try
        {
            // web3.js's test key: the native signature must be the port's, and recover to its signer.
            var secret = Convert.FromHexString("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
            var hash = Secp256k1.PersonalMessageHash("gpunet native secp256k1 probe");
            Span<byte> native = stackalloc byte[65];
            Span<byte> key = stackalloc byte[65];
            return TrySign(hash, secret, native)
                && Secp256k1.SignManaged(NBitcoin.Secp256k1.ECPrivKey.Create(secret), hash).AsSpan().SequenceEqual(native)
                && TryRecover(native[..64], native[64], hash, key)
                && Secp256k1.AddressOf(key) == Secp256k1.AddressOf(NBitcoin.Secp256k1.ECPrivKey.Create(secret).CreatePubKey());
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException
                                      or TypeInitializationException or PlatformNotSupportedException or InvalidOperationException)
        {
            return false;
        }
    }
}
