using Gpunet.Core.Identity;
using NBitcoin.Secp256k1;

namespace Gpunet.Core.Tests.Identity;

public sealed class Secp256k1Tests
{
    // web3.eth.accounts.sign('Some data', VectorKey), from the web3.js documentation.
    private const string SomeDataHash = "1da44b586eb0729ff70a73c326926f6ed5a25f5b056e7f47fbc6e58d86871655";
    private const string SomeDataSignature =
        "0xb91467e570a6466aa9e9876cbcd013baba02900b8979d43fe208a4a4f339f5fd6007e74cd82e037b800186422fc2da167c747ef045e5d18a5f5d4300f8e1a0291c";

    [Fact]
    public void PersonalMessageHash_KnownVector_KnownHash() =>
        Assert.Equal(SomeDataHash, Convert.ToHexStringLower(Secp256k1.PersonalMessageHash("Some data")));

    [Fact]
    public void Sign_KnownVector_KnownSignature()
    {
        var key = ECPrivKey.Create(Convert.FromHexString(Signing.VectorKey.AsSpan(2)));

        Assert.Equal(SomeDataSignature, Secp256k1.Sign(key, "Some data"));
    }

    [Fact]
    public void Recover_KnownVector_KnownAddress() =>
        Assert.Equal(Signing.VectorWallet.Address, Secp256k1.Recover("Some data", SomeDataSignature));

    [Fact]
    public void PersonalMessageHash_NonAsciiText_LengthPrefixCountsUtf8Bytes()
    {
        // "é€" is 2 chars but 5 UTF-8 bytes; the prefix must say 5, as Nethereum does.
        var expected = new Nethereum.Signer.EthereumMessageSigner().HashPrefixedMessage(System.Text.Encoding.UTF8.GetBytes("é€"));

        Assert.Equal(expected, Secp256k1.PersonalMessageHash("é€"));
    }
}
