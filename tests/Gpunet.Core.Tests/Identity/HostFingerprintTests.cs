using Gpunet.Core.Identity;

namespace Gpunet.Core.Tests.Identity;

/// <summary>The identity of a host's hardware: the same machine keeps it, any changed part changes it, and the
/// coordinator recomputes it from what the agent reports.</summary>
public sealed class HostFingerprintTests
{
    private const string Mac = "0a:1b:2c:3d:4e:5f";
    private const string Cpu = "AMD EPYC 9654 96-Core Processor";
    private static readonly string[] Uuids = ["GPU-aaaa", "GPU-bbbb", "GPU-cccc"];

    [Fact]
    public void Compute_Any_64LowerHexDigits()
    {
        var f = HostFingerprint.Compute(Mac, Cpu, Uuids);
        Assert.Equal(64, f.Length);
        Assert.All(f, c => Assert.True(char.IsAsciiHexDigitLower(c), f));
    }

    [Fact]
    public void Compute_SameParts_SameFingerprint()
    {
        Assert.Equal(HostFingerprint.Compute(Mac, Cpu, Uuids), HostFingerprint.Compute(Mac, Cpu, [.. Uuids]));
    }

    [Fact]
    public void Compute_GpuUuidsInAnotherOrder_SameFingerprint()
    {
        Assert.Equal(
            HostFingerprint.Compute(Mac, Cpu, Uuids),
            HostFingerprint.Compute(Mac, Cpu, ["GPU-cccc", "GPU-aaaa", "GPU-bbbb"]));
    }

    [Fact]
    public void Compute_MacInUpperCase_SameFingerprint()
    {
        Assert.Equal(HostFingerprint.Compute(Mac, Cpu, Uuids), HostFingerprint.Compute(Mac.ToUpperInvariant(), Cpu, Uuids));
    }

    [Fact]
    public void Compute_OtherMac_OtherFingerprint()
    {
        Assert.NotEqual(HostFingerprint.Compute(Mac, Cpu, Uuids), HostFingerprint.Compute("0a:1b:2c:3d:4e:60", Cpu, Uuids));
    }

    [Fact]
    public void Compute_OtherCpu_OtherFingerprint()
    {
        Assert.NotEqual(HostFingerprint.Compute(Mac, Cpu, Uuids), HostFingerprint.Compute(Mac, "Intel Xeon Platinum 8480+", Uuids));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Compute_AnyGpuUuidChanged_OtherFingerprint(int changed)
    {
        var swapped = Uuids.ToArray();
        swapped[changed] = "GPU-dddd";
        Assert.NotEqual(HostFingerprint.Compute(Mac, Cpu, Uuids), HostFingerprint.Compute(Mac, Cpu, swapped));
    }

    [Fact]
    public void Compute_GpuRemoved_OtherFingerprint()
    {
        Assert.NotEqual(HostFingerprint.Compute(Mac, Cpu, Uuids), HostFingerprint.Compute(Mac, Cpu, Uuids[..2]));
    }

    [Fact]
    public void Compute_OneMac_SameFingerprintAsAgentsAlwaysComputed()
    {
        // sha256("mac=0a:1b:2c:3d:4e:5f\ncpu=AMD EPYC 9654 96-Core Processor\ngpus=GPU-aaaa,GPU-bbbb,GPU-cccc"): existing hosts keep
        // their identity and stake.
        var text = $"mac={Mac}\ncpu={Cpu}\ngpus=GPU-aaaa,GPU-bbbb,GPU-cccc";
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
        Assert.Equal(expected, HostFingerprint.Compute(Mac, Cpu, Uuids));
        Assert.Equal(expected, HostFingerprint.Compute([Mac], Cpu, Uuids));
    }

    [Fact]
    public void Compute_MacsInAnotherOrder_SameFingerprint()
    {
        Assert.Equal(HostFingerprint.Compute([Mac, "0a:1b:2c:3d:4e:60"], Cpu, Uuids), HostFingerprint.Compute(["0a:1b:2c:3d:4e:60", Mac], Cpu, Uuids));
    }

    [Fact]
    public void Compute_SecondMacAdded_OtherFingerprint()
    {
        Assert.NotEqual(HostFingerprint.Compute(Mac, Cpu, Uuids), HostFingerprint.Compute([Mac, "0a:1b:2c:3d:4e:60"], Cpu, Uuids));
    }

    [Fact]
    public void Mismatch_ReportedPartsMatch_Null()
    {
        Assert.Null(HostFingerprint.Mismatch(HostFingerprint.Compute(Mac, Cpu, Uuids), [Mac], Cpu, Uuids));
    }

    [Fact]
    public void Mismatch_SameFingerprintWithOtherGpus_NamesTheRecomputedFingerprint()
    {
        var kept = HostFingerprint.Compute(Mac, Cpu, Uuids);
        var recomputed = HostFingerprint.Compute(Mac, Cpu, ["GPU-aaaa", "GPU-bbbb"]);

        var why = HostFingerprint.Mismatch(kept, [Mac], Cpu, ["GPU-aaaa", "GPU-bbbb"]);

        Assert.NotNull(why);
        Assert.StartsWith(kept[..12] + "… is not the fingerprint of the reported hardware", why, StringComparison.Ordinal);
        Assert.Contains($"host.nic_macs, host.cpu_model and host.gpus[].uuid is {recomputed[..12]}…", why, StringComparison.Ordinal);
        Assert.Contains("other hardware is a new container, which stakes anew", why, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0a:1b:2c:3d:4e:5f", true)]
    [InlineData("0A:1B:2C:3D:4E:5F", true)]
    [InlineData("0a-1b-2c-3d-4e-5f", false)]
    [InlineData("0a:1b:2c:3d:4e", false)]
    [InlineData("0a:1b:2c:3d:4e:5g", false)]
    [InlineData("", false)]
    public void IsMac_Text_SixColonSeparatedHexPairsOnly(string text, bool expected)
    {
        Assert.Equal(expected, HostFingerprint.IsMac(text));
    }
}
