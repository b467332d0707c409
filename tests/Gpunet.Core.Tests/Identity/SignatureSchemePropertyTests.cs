using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Identity;
using Nethereum.Signer;

namespace Gpunet.Core.Tests.Identity;

/// <summary>Differential checks: the fast secp256k1 path against Nethereum, the reference.</summary>
public sealed class SignatureSchemePropertyTests
{
    private static readonly ISignatureScheme Fast = Secp256k1SignatureScheme.Instance;
    private static readonly ISignatureScheme Port = Secp256k1SignatureScheme.Managed;
    private static readonly ISignatureScheme Reference = EthereumSignatureScheme.Instance;

    // Pieces that make up field text: ASCII, multi-byte UTF-8 (the EIP-191 length prefix counts bytes) and separators.
    private static readonly string[] Pieces = ["a", "Z", "7", "-", "_", ".", " ", "é", "€", "🙂", "日本"];

    private static Gen<string> Word(params string[] extra) =>
        Gen.NonEmptyListOf(Gen.Elements([.. Pieces, .. extra])).Resize(12)
            .Select(parts => string.Concat(parts))
            .Where(s => !string.IsNullOrWhiteSpace(s));

    private static readonly Gen<string> Key =
        Gen.Elements("fingerprint", "gpu", "region", "zz", "A", "price-cents", "ключ");

    private static readonly Gen<byte[]> PrivateKey =
        Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 32)
            .Where(k => k.Any(b => b != 0) && k[0] < 0xff); // a valid scalar: non-zero, below the curve order

    private static readonly Gen<(Wallet Wallet, CanonicalMessage Message)> Case =
        from key in PrivateKey
        from purpose in Word()
        from network in Word()
        from nonce in Word(":")
        from seconds in Gen.Choose(0, int.MaxValue)
        from millis in Gen.Choose(0, 999)
        from fields in Gen.ListOf(Gen.Zip(Key, Word(":", ": "))).Resize(4)
        let wallet = Wallet.FromPrivateKey(Convert.ToHexString(key))
        let at = DateTimeOffset.FromUnixTimeMilliseconds((seconds * 1000L) + millis)
        select (wallet, CanonicalMessage.Create(
            purpose, network, wallet.Address, nonce, at, fields.Select(f => KeyValuePair.Create(f.Item1, f.Item2))));

    [Property(MaxTest = 50)]
    public Property Sign_AnyMessageAnyWallet_BothSchemesRecoverTheSigner() =>
        Prop.ForAll(Case.ToArbitrary(), c =>
        {
            var signature = c.Wallet.Sign(c.Message);
            return Fast.Recover(c.Message, signature) == c.Wallet.Address
                && Port.Verify(c.Message, signature)
                && Reference.Recover(c.Message, signature) == c.Wallet.Address;
        });

    [Property(MaxTest = 50)]
    public Property Sign_AnyMessageAnyWallet_SameBytesAsNethereumAndAcceptedByFastScheme() =>
        Prop.ForAll(Case.ToArbitrary(), c =>
        {
            var reference = new EthereumMessageSigner().EncodeUTF8AndSign(c.Message.Text, new EthECKey(c.Wallet.PrivateKeyHex));
            return Fast.Verify(c.Message, reference)
                && string.Equals(reference, c.Wallet.Sign(c.Message), StringComparison.OrdinalIgnoreCase);
        });

    [Property(MaxTest = 50)]
    public Property Verify_NonceOrNetworkChanged_FalseInBothSchemes() =>
        Prop.ForAll(Case.ToArbitrary(), c =>
        {
            var m = c.Message;
            var signature = c.Wallet.Sign(m);
            var otherNonce = CanonicalMessage.Create(m.Purpose, m.Network, m.Address, m.Nonce + "x", m.Timestamp);
            var otherNetwork = CanonicalMessage.Create(m.Purpose, m.Network + "x", m.Address, m.Nonce, m.Timestamp);
            return !Fast.Verify(otherNonce, signature) && !Reference.Verify(otherNonce, signature)
                && !Fast.Verify(otherNetwork, signature) && !Reference.Verify(otherNetwork, signature);
        });

    [Property(MaxTest = 50)]
    public Property Recover_RorSByteChanged_SchemesAgreeAndNeitherGivesTheSigner() =>
        Prop.ForAll(Case.ToArbitrary(), Gen.Choose(0, 63).ToArbitrary(), Gen.Choose(1, 255).ToArbitrary(), (c, index, mask) =>
        {
            var tampered = Signing.FlipByte(c.Wallet.Sign(c.Message), index, (byte)mask);
            var fast = Fast.Recover(c.Message, tampered);
            return fast != c.Wallet.Address && fast == Reference.Recover(c.Message, tampered);
        });

    [Property(MaxTest = 50)]
    public Property Recover_AnyVByte_FastSchemeIsNullOrAgreesWithReference() =>
        Prop.ForAll(Case.ToArbitrary(), Gen.OneOf(Gen.Choose(0, 255), Gen.Elements(0, 1, 2, 3, 27, 28, 29, 30, 31, 32, 33, 34)).ToArbitrary(), (c, v) =>
        {
            var signature = c.Wallet.Sign(c.Message);
            var tampered = signature[..^2] + Convert.ToHexStringLower([(byte)v]);
            var fast = Fast.Recover(c.Message, tampered);
            return fast is null || fast == Reference.Recover(c.Message, tampered);
        });
}
