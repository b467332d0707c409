using Gpunet.Core.Identity;

namespace Gpunet.Core.Tests.Identity;

/// <summary>Shared fixtures for the identity tests: fixed times, the web3.js test key, and sample messages.</summary>
internal static class Signing
{
    public const string VectorKey = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";

    public static readonly DateTimeOffset T0 = new(2025, 3, 14, 15, 9, 26, TimeSpan.Zero);

    public static Wallet VectorWallet { get; } = Wallet.FromPrivateKey(VectorKey);

    /// <summary>Every implementation (libsecp256k1 native where it loads, its C# port, Nethereum), seen through the
    /// interface so its default methods are in reach.</summary>
    public static TheoryData<string> SchemeNames => new() { "secp256k1", "secp256k1-managed", "nethereum" };

    public static ISignatureScheme Scheme(string name) => name switch
    {
        "secp256k1" => Secp256k1SignatureScheme.Instance,
        "secp256k1-managed" => Secp256k1SignatureScheme.Managed,
        "nethereum" => EthereumSignatureScheme.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    public static CanonicalMessage Message(
        Address address,
        string nonce = "n-0001",
        string network = "devnet",
        string purpose = SignInMessages.ApiToken,
        DateTimeOffset? at = null) =>
        CanonicalMessage.Create(purpose, network, address, nonce, at ?? T0);

    /// <summary>The signature with byte <paramref name="index"/> (0-64) XOR-ed with <paramref name="mask"/>.</summary>
    public static string FlipByte(string signature, int index, byte mask = 0x01)
    {
        var raw = Convert.FromHexString(signature.AsSpan(2));
        raw[index] ^= mask;
        return "0x" + Convert.ToHexStringLower(raw);
    }
}
