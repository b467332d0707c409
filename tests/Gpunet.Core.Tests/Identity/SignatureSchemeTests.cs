using System.Globalization;
using Gpunet.Core.Identity;
using Nethereum.Signer;

namespace Gpunet.Core.Tests.Identity;

public sealed class SignatureSchemeTests
{
    private static readonly Wallet Signer = Signing.VectorWallet;

    [Theory]
    [MemberData(nameof(Signing.SchemeNames), MemberType = typeof(Signing))]
    public void Verify_WalletSignature_True(string scheme)
    {
        var message = Signing.Message(Signer.Address);

        var signature = Signer.Sign(message);

        Assert.Equal(Signer.Address, Signing.Scheme(scheme).Recover(message, signature));
        Assert.True(Signing.Scheme(scheme).Verify(message, signature));
    }

    [Theory]
    [InlineData("secp256k1")]
    [InlineData("secp256k1-managed")]
    public void Verify_NethereumSignatureOverCanonicalText_AcceptedByFastScheme(string scheme)
    {
        var message = SignInMessages.ForAgentStream("mainnet", Signer.Address, "c2f1e0", Signing.T0, "fp:gpu=H100;nic=aa:bb");

        var signature = new EthereumMessageSigner().EncodeUTF8AndSign(message.Text, new EthECKey(Signing.VectorKey));

        Assert.True(Signing.Scheme(scheme).Verify(message, signature));
    }

    [Fact]
    public void Sign_SameMessage_SameSignatureAsNethereum()
    {
        // Both sign deterministically (RFC 6979) with low s, so the bytes agree.
        var message = Signing.Message(Signer.Address);

        var expected = new EthereumMessageSigner().EncodeUTF8AndSign(message.Text, new EthECKey(Signing.VectorKey));

        Assert.Equal(expected.ToLowerInvariant(), Signer.Sign(message));
    }

    [Theory]
    [MemberData(nameof(Signing.SchemeNames), MemberType = typeof(Signing))]
    public void Verify_SignatureWithoutPrefixOrUpperCase_True(string scheme)
    {
        var message = Signing.Message(Signer.Address);
        var signature = Signer.Sign(message);

        Assert.True(Signing.Scheme(scheme).Verify(message, signature[2..]));
        Assert.True(Signing.Scheme(scheme).Verify(message, "0x" + signature[2..].ToUpperInvariant()));
    }

    public static TheoryData<string, string> AlteredMessages()
    {
        var data = new TheoryData<string, string>();
        foreach (var scheme in new[] { "secp256k1", "secp256k1-managed", "nethereum" })
        {
            foreach (var change in new[] { "nonce", "network", "purpose", "timestamp", "address", "field" })
                data.Add(scheme, change);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AlteredMessages))]
    public void Verify_MessageChangedAfterSigning_False(string scheme, string change)
    {
        var fields = new Dictionary<string, string> { ["fingerprint"] = "abc" };
        var signed = CanonicalMessage.Create("agent-stream", "devnet", Signer.Address, "n-1", Signing.T0, fields);
        var signature = Signer.Sign(signed);
        var other = Wallet.Create().Address;

        var altered = change switch
        {
            "nonce" => CanonicalMessage.Create("agent-stream", "devnet", Signer.Address, "n-2", Signing.T0, fields),
            "network" => CanonicalMessage.Create("agent-stream", "mainnet", Signer.Address, "n-1", Signing.T0, fields),
            "purpose" => CanonicalMessage.Create("api-token", "devnet", Signer.Address, "n-1", Signing.T0, fields),
            "timestamp" => CanonicalMessage.Create("agent-stream", "devnet", Signer.Address, "n-1", Signing.T0.AddSeconds(1), fields),
            "address" => CanonicalMessage.Create("agent-stream", "devnet", other, "n-1", Signing.T0, fields),
            _ => CanonicalMessage.Create("agent-stream", "devnet", Signer.Address, "n-1", Signing.T0, new Dictionary<string, string> { ["fingerprint"] = "abd" }),
        };

        Assert.NotEqual(signed.Text, altered.Text);
        Assert.False(Signing.Scheme(scheme).Verify(altered, signature));
    }

    [Theory]
    [MemberData(nameof(Signing.SchemeNames), MemberType = typeof(Signing))]
    public void Verify_AnySignatureByteChanged_False(string scheme)
    {
        var message = Signing.Message(Signer.Address);
        var signature = Signer.Sign(message);

        for (var i = 0; i < 65; i++)
        {
            foreach (var mask in new byte[] { 0x01, 0x80 })
            {
                var tampered = Signing.FlipByte(signature, i, mask);
                Assert.False(Signing.Scheme(scheme).Verify(message, tampered), $"byte {i} ^ 0x{mask:x2} still verified");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Signing.SchemeNames), MemberType = typeof(Signing))]
    public void Verify_SignatureByAnotherWallet_False(string scheme)
    {
        var message = Signing.Message(Signer.Address);
        var impostor = Wallet.Create();

        var signature = impostor.Sign(message);

        Assert.Equal(impostor.Address, Signing.Scheme(scheme).Recover(message, signature));
        Assert.False(Signing.Scheme(scheme).Verify(message, signature));
    }

    public static TheoryData<string, string> MalformedSignatures()
    {
        var valid = Signer.Sign(Signing.Message(Signer.Address));
        var body = valid[2..^2];
        var data = new TheoryData<string, string>();
        foreach (var scheme in new[] { "secp256k1", "secp256k1-managed", "nethereum" })
        {
            data.Add(scheme, "");
            data.Add(scheme, "   ");
            data.Add(scheme, "0x");
            data.Add(scheme, "0x1234");
            data.Add(scheme, valid[..^2]); // 64 bytes
            data.Add(scheme, valid + "1b"); // 66 bytes
            data.Add(scheme, valid[..^1]); // odd length
            data.Add(scheme, "0x" + new string('z', 130));
            data.Add(scheme, "0x" + body + "g1"); // non-hex in v
            data.Add(scheme, "0x" + body[..10] + "é" + body[11..] + "1b"); // non-ASCII
            data.Add(scheme, "0x" + body + "05"); // v out of range
            data.Add(scheme, "0x" + body + "1a"); // v = 26
            data.Add(scheme, "0x" + body + "23"); // v = 35
            data.Add(scheme, "0x" + body + "ff");
            data.Add(scheme, "0x" + new string('0', 128) + "1b"); // r = s = 0
            data.Add(scheme, "0x" + new string('f', 128) + "1c"); // r, s above the curve order
            data.Add(scheme, "0x 0x" + body + "1b");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MalformedSignatures))]
    public void Recover_MalformedSignature_NullWithoutThrowing(string scheme, string signature)
    {
        var message = Signing.Message(Signer.Address);

        Assert.Null(Signing.Scheme(scheme).Recover(message, signature));
        Assert.False(Signing.Scheme(scheme).Verify(message, signature));
    }

    [Theory]
    [MemberData(nameof(Signing.SchemeNames), MemberType = typeof(Signing))]
    public void VerifyBatch_MixedItems_ResultPerItemInOrder(string scheme)
    {
        var other = Wallet.Create();
        var items = new List<(CanonicalMessage, string)>();
        var expected = new List<bool>();
        for (var i = 0; i < 12; i++)
        {
            var message = Signing.Message(Signer.Address, nonce: $"n-{i}");
            var signature = (i % 3) switch
            {
                0 => Signer.Sign(message),
                1 => other.Sign(message),
                _ => "0xnot-a-signature",
            };
            items.Add((message, signature));
            expected.Add(i % 3 == 0);
        }

        Assert.Equal(expected, Signing.Scheme(scheme).VerifyBatch(items));
    }

    [Theory]
    [MemberData(nameof(Signing.SchemeNames), MemberType = typeof(Signing))]
    public void VerifyBatch_Empty_Empty(string scheme) =>
        Assert.Empty(Signing.Scheme(scheme).VerifyBatch([]));

    private static string WithV(string signature, int v) => signature[..^2] + v.ToString("x2", CultureInfo.InvariantCulture);

    [Theory]
    [MemberData(nameof(Signing.SchemeNames), MemberType = typeof(Signing))]
    public void Recover_VAsRecoveryIdZeroOrOne_SameAsTwentySevenOrTwentyEight(string scheme)
    {
        foreach (var nonce in new[] { "a", "b", "c", "d" })
        {
            var message = Signing.Message(Signer.Address, nonce: nonce);
            var signature = Signer.Sign(message);
            var v = Convert.FromHexString(signature.AsSpan(^2))[0];

            Assert.Equal(Signer.Address, Signing.Scheme(scheme).Recover(message, WithV(signature, v - 27)));
        }
    }

    [Theory]
    [InlineData("secp256k1")]
    [InlineData("secp256k1-managed")]
    public void Recover_VNotZeroOneTwentySevenOrTwentyEight_NullInFastScheme(string scheme)
    {
        // v = 29/30 (recovery id 2/3) is the regression case: NBitcoin.Secp256k1 alone "recovers" a bogus key there.
        for (var n = 0; n < 8; n++)
        {
            var message = Signing.Message(Signer.Address, nonce: $"v-{n}");
            var signature = Signer.Sign(message);
            for (var v = 0; v < 256; v++)
            {
                if (v is 0 or 1 or 27 or 28)
                    continue;
                Assert.True(Signing.Scheme(scheme).Recover(message, WithV(signature, v)) is null, $"nonce v-{n}, v = {v}");
            }
        }
    }

    [Fact]
    public void Recover_VOutOfAnyRange_NullInReferenceScheme()
    {
        // Nethereum also reads Bitcoin's compressed-key headers 31-34; everything else outside 0-1 and 27-30 is refused.
        var message = Signing.Message(Signer.Address);
        var signature = Signer.Sign(message);
        for (var v = 0; v < 256; v++)
        {
            if (v is (>= 0 and <= 3) or (>= 27 and <= 34))
                continue;
            Assert.True(EthereumSignatureScheme.Instance.Recover(message, WithV(signature, v)) is null, $"v = {v}");
        }
    }
}
