using Gpunet.Core.Identity;
using Nethereum.Signer;

namespace Gpunet.Core.Tests.Identity;

public sealed class WalletTests
{
    // The web3.js documentation's test key and its address.
    private const string VectorKey = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
    private const string VectorAddress = "0x2c7536e3605d9c16a7a3d7b1898e529396a65c23";

    [Fact]
    public void FromPrivateKey_KnownVector_KnownAddress()
    {
        var wallet = Wallet.FromPrivateKey(VectorKey);

        Assert.Equal(VectorAddress, wallet.Address.Value);
        Assert.Equal(VectorAddress, new EthECKey(VectorKey).GetPublicAddress().ToLowerInvariant());
    }

    [Theory]
    [InlineData("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")]
    [InlineData("0X4C0883A69102937D6231471B5DBB6204FE5129617082792AE468D01A3F362318")]
    [InlineData("  0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318\n")]
    public void FromPrivateKey_OtherSpellings_SameWallet(string hex)
    {
        var wallet = Wallet.FromPrivateKey(hex);

        Assert.Equal(VectorAddress, wallet.Address.Value);
        Assert.Equal(VectorKey, wallet.PrivateKeyHex);
    }

    [Fact]
    public void PrivateKeyHex_NewWallet_RoundTripsToSameAddress()
    {
        var wallet = Wallet.Create();

        var again = Wallet.FromPrivateKey(wallet.PrivateKeyHex);

        Assert.Matches("^0x[0-9a-f]{64}$", wallet.PrivateKeyHex);
        Assert.Equal(wallet.PrivateKeyHex, again.PrivateKeyHex);
        Assert.Equal(wallet.Address, again.Address);
    }

    [Fact]
    public void Create_NewWallet_AddressMatchesNethereum()
    {
        var wallet = Wallet.Create();

        Assert.Equal(new EthECKey(wallet.PrivateKeyHex).GetPublicAddress().ToLowerInvariant(), wallet.Address.Value);
    }

    [Fact]
    public void Create_TwoWallets_DifferentKeys()
    {
        var a = Wallet.Create();
        var b = Wallet.Create();

        Assert.NotEqual(a.PrivateKeyHex, b.PrivateKeyHex);
        Assert.NotEqual(a.Address, b.Address);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f36231")] // 63 digits
    [InlineData("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f3623180")] // 65 digits
    [InlineData("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f36231g")]
    [InlineData("0x4c0883a69102937d6231471b5dbb6204 e5129617082792ae468d01a3f362318")]
    public void FromPrivateKey_NotSixtyFourHexDigits_FormatException(string hex)
    {
        var ex = Assert.Throws<FormatException>(() => Wallet.FromPrivateKey(hex));
        Assert.Contains("64 hex digits", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0x0000000000000000000000000000000000000000000000000000000000000000")] // zero
    [InlineData("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")] // the curve order n
    [InlineData("0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")] // above n
    public void FromPrivateKey_OutOfRangeScalar_FormatException(string hex)
    {
        var ex = Assert.Throws<FormatException>(() => Wallet.FromPrivateKey(hex));
        Assert.Contains("not a valid secp256k1 scalar", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromPrivateKey_LargestValidScalar_Accepted()
    {
        var wallet = Wallet.FromPrivateKey("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140");

        Assert.Equal(new EthECKey(wallet.PrivateKeyHex).GetPublicAddress().ToLowerInvariant(), wallet.Address.Value);
    }
}
