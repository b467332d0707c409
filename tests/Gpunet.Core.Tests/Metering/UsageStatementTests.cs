using Gpunet.Core.Identity;
using Gpunet.Core.Metering;
using Gpunet.Core.Tests.Identity;

namespace Gpunet.Core.Tests.Metering;

public sealed class UsageStatementTests
{
    private static readonly UsageStatement Statement = new("lease-1", "host-a", 1_741_964_966_000, 1_741_965_026_000, 2, 500, 3, 2);

    [Fact]
    public void ToCanonical_EveryField_OnItsOwnLine()
    {
        var text = Statement.ToCanonical("devnet", Signing.VectorWallet.Address).Text;

        Assert.StartsWith(CanonicalMessage.Header + "\npurpose: usage-report\nnetwork: devnet\n", text, StringComparison.Ordinal);
        Assert.Contains("\nnonce: lease-1/2/3\n", text, StringComparison.Ordinal);
        Assert.Contains("\nformat: gpunet usage report v2\n", text, StringComparison.Ordinal);
        foreach (var line in new[] { "lease: lease-1", "attempt: 2", "host: host-a", "from_unix_ms: 1741964966000", "to_unix_ms: 1741965026000", "gpus: 2", "gpu_milli: 500", "sequence: 3" })
            Assert.Contains("\n" + line, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_ChangedField_SignatureNoLongerVerifies()
    {
        var wallet = Signing.VectorWallet;
        var signature = wallet.Sign(Statement.ToCanonical("devnet", wallet.Address));
        ISignatureScheme scheme = Secp256k1SignatureScheme.Instance;

        Assert.True(scheme.Verify(Statement.ToCanonical("devnet", wallet.Address), signature));
        Assert.False(scheme.Verify((Statement with { ToUnixMs = Statement.ToUnixMs + 1 }).ToCanonical("devnet", wallet.Address), signature));
        Assert.False(scheme.Verify((Statement with { GpuMilli = 1000 }).ToCanonical("devnet", wallet.Address), signature));
        Assert.False(scheme.Verify((Statement with { Attempt = 3 }).ToCanonical("devnet", wallet.Address), signature));
        Assert.False(scheme.Verify(Statement.ToCanonical("mainnet", wallet.Address), signature));
    }

    [Fact]
    public void ToCanonical_LeaseIdWithLineBreak_ArgumentException() =>
        Assert.Throws<ArgumentException>(() => (Statement with { LeaseId = "l\nhost: x" }).ToCanonical("devnet", Signing.VectorWallet.Address));
}
