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

    private static CheckReportStatement Verdict(bool passed, params CheckReportStatement.Gpu[] gpus) =>
        new("chk_1", "h1", CheckKind.Capacity, passed, 40_000, 0, gpus);

    private static CheckReportStatement.Gpu Gpu(int index, bool passed, bool correct = true, long answered = 10_500_000, long limit = 10_852_000) =>
        new(index, passed, correct, answered, 10_000_000, limit);

    [Fact]
    public void Contradiction_ReportsAsAnHonestCheckerSignsThem_None()
    {
        Assert.Null(Verdict(true, Gpu(0, true), Gpu(1, true)).Contradiction(timingEnforced: true));
        Assert.Null(Verdict(false, Gpu(0, true), Gpu(1, false, answered: 12_000_000)).Contradiction(timingEnforced: true));
        Assert.Null(Verdict(false, Gpu(0, false, correct: false)).Contradiction(timingEnforced: true));
        // A GPU not timed (no limit signed), as a checker from before the limit, or the lazy checker's unprobed pass,
        // signs it: the honeypots catch the latter, which must therefore be taken.
        Assert.Null(Verdict(true, Gpu(0, true, answered: 0, limit: 0)).Contradiction(timingEnforced: true));
        // Timing reported only: a late answer passes.
        Assert.Null(Verdict(true, Gpu(0, true, answered: 30_000_000)).Contradiction(timingEnforced: false));
        // The answer exactly at the limit is within it.
        Assert.Null(Verdict(true, Gpu(0, true, answered: 10_852_000)).Contradiction(timingEnforced: true));
        // Checks of other kinds carry no GPUs.
        Assert.Null(Verdict(false).Contradiction(timingEnforced: true));
    }

    [Theory]
    [InlineData(true, false, 10_500_000, true, "GPU 1: passed with its product marked wrong")]
    [InlineData(true, true, 10_852_001, true, "GPU 1: passed with an answer at 10852001 µs, after the limit it signs (10852000 µs)")]
    public void Contradiction_AGpuPassedItsOwnFiguresFail_Named(bool passed, bool correct, long answered, bool enforced, string expected) =>
        Assert.Equal(expected, Verdict(true, Gpu(0, true), Gpu(1, passed, correct, answered)).Contradiction(enforced));

    [Fact]
    public void Contradiction_TheVerdictDisagreesWithItsGpus_Named()
    {
        Assert.Equal("verdict pass with GPU 2 failed", Verdict(true, Gpu(0, true), Gpu(2, false), Gpu(3, false)).Contradiction(timingEnforced: true));
        Assert.Equal("verdict fail with every GPU passed", Verdict(false, Gpu(0, true), Gpu(1, true)).Contradiction(timingEnforced: true));
    }
}
