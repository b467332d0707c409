using Gpunet.Agent.Discovery;

namespace Gpunet.IntegrationTests.Agent.Discovery;

/// <summary>The identity of a host's hardware: the same machine keeps it, any changed part changes it.</summary>
public sealed class HardwareFingerprintTests
{
    private const string Mac = "0a:1b:2c:3d:4e:5f";
    private const string Cpu = "AMD EPYC 9654 96-Core Processor";
    private static readonly string[] Uuids = ["GPU-aaaa", "GPU-bbbb", "GPU-cccc"];

    [Fact]
    public void Compute_Any_64LowerHexDigits()
    {
        var f = HardwareFingerprint.Compute(Mac, Cpu, Uuids);
        Assert.Equal(64, f.Length);
        Assert.All(f, c => Assert.True(char.IsAsciiHexDigitLower(c), f));
    }

    [Fact]
    public void Compute_SameParts_SameFingerprint()
    {
        Assert.Equal(HardwareFingerprint.Compute(Mac, Cpu, Uuids), HardwareFingerprint.Compute(Mac, Cpu, [.. Uuids]));
    }

    [Fact]
    public void Compute_GpuUuidsInAnotherOrder_SameFingerprint()
    {
        Assert.Equal(
            HardwareFingerprint.Compute(Mac, Cpu, Uuids),
            HardwareFingerprint.Compute(Mac, Cpu, ["GPU-cccc", "GPU-aaaa", "GPU-bbbb"]));
    }

    [Fact]
    public void Compute_MacInUpperCase_SameFingerprint()
    {
        Assert.Equal(HardwareFingerprint.Compute(Mac, Cpu, Uuids), HardwareFingerprint.Compute(Mac.ToUpperInvariant(), Cpu, Uuids));
    }

    [Fact]
    public void Compute_OtherMac_OtherFingerprint()
    {
        Assert.NotEqual(HardwareFingerprint.Compute(Mac, Cpu, Uuids), HardwareFingerprint.Compute("0a:1b:2c:3d:4e:60", Cpu, Uuids));
    }

    [Fact]
    public void Compute_OtherCpu_OtherFingerprint()
    {
        Assert.NotEqual(HardwareFingerprint.Compute(Mac, Cpu, Uuids), HardwareFingerprint.Compute(Mac, "Intel Xeon Platinum 8480+", Uuids));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Compute_AnyGpuUuidChanged_OtherFingerprint(int changed)
    {
        var swapped = Uuids.ToArray();
        swapped[changed] = "GPU-dddd";
        Assert.NotEqual(HardwareFingerprint.Compute(Mac, Cpu, Uuids), HardwareFingerprint.Compute(Mac, Cpu, swapped));
    }

    [Fact]
    public void Compute_GpuRemoved_OtherFingerprint()
    {
        Assert.NotEqual(HardwareFingerprint.Compute(Mac, Cpu, Uuids), HardwareFingerprint.Compute(Mac, Cpu, Uuids[..2]));
    }

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
