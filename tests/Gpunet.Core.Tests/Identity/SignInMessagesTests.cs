using Gpunet.Core.Identity;

namespace Gpunet.Core.Tests.Identity;

public sealed class SignInMessagesTests
{
    private static readonly Address Addr = Signing.VectorWallet.Address;

    [Fact]
    public void ForAgentStream_Fingerprint_BoundAsLastLine()
    {
        var message = SignInMessages.ForAgentStream("devnet", Addr, "n1", Signing.T0, "sha256:abc");

        Assert.Equal(SignInMessages.AgentStream, message.Purpose);
        Assert.Equal("devnet", message.Network);
        Assert.EndsWith("\ntimestamp: 2025-03-14T15:09:26Z\nfingerprint: sha256:abc", message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void ForApiToken_NoExtraFields_PurposeApiToken()
    {
        var message = SignInMessages.ForApiToken("mainnet", Addr, "n1", Signing.T0);

        Assert.Equal(SignInMessages.ApiToken, message.Purpose);
        Assert.EndsWith("\ntimestamp: 2025-03-14T15:09:26Z", message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void ForAgentStream_FingerprintWithLineBreak_ArgumentException() =>
        Assert.Throws<ArgumentException>(() =>
            SignInMessages.ForAgentStream("devnet", Addr, "n1", Signing.T0, "abc\npurpose: api-token"));

    [Fact]
    public void Sign_AgentStreamMessage_NotValidAsApiToken()
    {
        var agent = SignInMessages.ForAgentStream("devnet", Addr, "n1", Signing.T0, "fp");
        var token = SignInMessages.ForApiToken("devnet", Addr, "n1", Signing.T0);

        var signature = Signing.VectorWallet.Sign(agent);

        Assert.NotEqual(agent.Text, token.Text);
        Assert.False(((ISignatureScheme)Secp256k1SignatureScheme.Instance).Verify(token, signature));
    }
}
