using Gpunet.Agent.Discovery;

namespace Gpunet.IntegrationTests.Agent.Discovery;

/// <summary>The parts of a host's identity read from this machine (the formula over them is the core's HostFingerprint).</summary>
public sealed class HardwareFingerprintTests
{
    [Fact]
    public void PrimaryMac_ThisMachine_SixColonSeparatedLowerHexBytes()
    {
        var mac = HardwareFingerprint.PrimaryMac();
        var bytes = mac.Split(':');
        Assert.Equal(6, bytes.Length);
        Assert.All(bytes, b => Assert.Matches("^[0-9a-f]{2}$", b));
    }

    [Fact]
    public void CpuModel_ThisMachine_NotEmpty()
    {
        Assert.False(string.IsNullOrWhiteSpace(HardwareFingerprint.CpuModel()));
    }
}
