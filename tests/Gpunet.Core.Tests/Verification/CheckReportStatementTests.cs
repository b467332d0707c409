using Gpunet.Core.Identity;
using Gpunet.Core.Tests.Identity;
using Gpunet.Core.Verification;

namespace Gpunet.Core.Tests.Verification;

public sealed class CheckReportStatementTests
{
    private static CheckReportStatement Report(long limitMicros) =>
        new("chk_1", "h1", CheckKind.Capacity, true, 40_000, 0, [new CheckReportStatement.Gpu(0, true, true, 10_500_000, 10_000_000, limitMicros)]);

    [Fact]
    public void ToCanonical_ReportWithoutALimit_ReadsAsAV1ReportWasSigned_AndItsSignatureStillVerifies()
    {
        var wallet = Signing.VectorWallet;
        // Signed by a checker from before the limit was reported: five figures per GPU.
        var v1 = Report(0).ToCanonical("test", wallet.Address, Signing.T0);
        var signature = wallet.Sign(v1);

        Assert.Contains("gpus: 0,pass,correct,10500000,10000000\n", v1.Text + "\n", StringComparison.Ordinal);
        Assert.True(((ISignatureScheme)Secp256k1SignatureScheme.Instance).Verify(Report(0).ToCanonical("test", wallet.Address, Signing.T0), signature));
    }

    [Fact]
    public void ToCanonical_ReportWithALimit_SignsIt_SoThatChangingItBreaksTheSignature()
    {
        var wallet = Signing.VectorWallet;
        var signed = Report(10_852_000).ToCanonical("test", wallet.Address, Signing.T0);
        var signature = wallet.Sign(signed);

        Assert.Contains("0,pass,correct,10500000,10000000,10852000", signed.Text, StringComparison.Ordinal);
        Assert.False(((ISignatureScheme)Secp256k1SignatureScheme.Instance).Verify(Report(20_000_000).ToCanonical("test", wallet.Address, Signing.T0), signature));
        Assert.False(((ISignatureScheme)Secp256k1SignatureScheme.Instance).Verify(Report(0).ToCanonical("test", wallet.Address, Signing.T0), signature));
    }
}
