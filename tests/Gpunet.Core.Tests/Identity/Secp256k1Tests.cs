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
    public void NativeLibrary_OnThisPlatform_Loads() =>
        // linux-x64, where the coordinator runs, has a shipped build; elsewhere the port would be used (and tested below).
        Assert.True(!OperatingSystem.IsLinux() || !Environment.Is64BitProcess || NativeSecp256k1.Available);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Sign_KnownVector_KnownSignature(bool native)
    {
        var key = ECPrivKey.Create(Convert.FromHexString(Signing.VectorKey.AsSpan(2)));

        Assert.Equal(SomeDataSignature, Secp256k1.Sign(key, "Some data", native));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Recover_KnownVector_KnownAddress(bool native) =>
        Assert.Equal(Signing.VectorWallet.Address, Secp256k1.Recover("Some data", SomeDataSignature, native));

    [Fact]
    public void Sign_ManyKeysAndMessages_NativeAndPortGiveTheSameBytesAndSigner()
    {
        for (var i = 0; i < 64; i++)
        {
            var wallet = Wallet.Create();
            var key = ECPrivKey.Create(Convert.FromHexString(wallet.PrivateKeyHex.AsSpan(2)));
            var text = $"message {i} for {wallet.Address}";

            var native = Secp256k1.Sign(key, text, native: true);
            var port = Secp256k1.Sign(key, text, native: false);

            Assert.Equal(port, native);
            Assert.Equal(wallet.Address, Secp256k1.Recover(text, native, native: true));
            Assert.Equal(wallet.Address, Secp256k1.Recover(text, native, native: false));
            var tampered = Signing.FlipByte(native, i % 64);
            Assert.Equal(Secp256k1.Recover(text, tampered, native: false), Secp256k1.Recover(text, tampered, native: true));
        }
    }

    [Fact]
    public void PersonalMessageHash_NonAsciiText_LengthPrefixCountsUtf8Bytes()
    {
        // "é€" is 2 chars but 5 UTF-8 bytes; the prefix must say 5, as Nethereum does.
        var expected = new Nethereum.Signer.EthereumMessageSigner().HashPrefixedMessage(System.Text.Encoding.UTF8.GetBytes("é€"));

        Assert.Equal(expected, Secp256k1.PersonalMessageHash("é€"));
    }
}
