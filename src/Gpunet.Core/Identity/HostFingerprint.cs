using System.Security.Cryptography;
using System.Text;

namespace Gpunet.Core.Identity;

/// <summary>A container's identity: SHA-256 over the NIC MAC addresses, the CPU model and the GPU UUIDs.</summary>
/// <remarks>Pure. The agent computes it from what it discovers; the coordinator recomputes it from what the agent reports
/// (<c>nic_macs</c>, <c>cpu_model</c>, the GPUs' UUIDs) and refuses a fingerprint that does not match, so a host cannot
/// keep an identity (and its stake) while reporting other hardware. Any change (a new NIC, CPU or GPU) gives a new
/// fingerprint, hence a new container that must stake again. With one MAC the text hashed is what agents always hashed,
/// so no existing host's identity changes.</remarks>
public static class HostFingerprint
{
    /// <summary>At most this many MAC addresses in one fingerprint.</summary>
    public const int MaxMacs = 8;

    /// <summary>Computes the fingerprint from its parts; the order of MACs and of UUIDs, and the case of MACs, do not count.</summary>
    public static string Compute(IEnumerable<string> macs, string cpuModel, IEnumerable<string> gpuUuids)
    {
        ArgumentNullException.ThrowIfNull(macs);
        ArgumentNullException.ThrowIfNull(cpuModel);
        ArgumentNullException.ThrowIfNull(gpuUuids);
        var mac = string.Join(',', macs.Select(m => m.ToLowerInvariant()).Order(StringComparer.Ordinal));
        var text = $"mac={mac}\ncpu={cpuModel}\ngpus={string.Join(',', gpuUuids.Order(StringComparer.Ordinal))}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Computes the fingerprint of a machine with one NIC.</summary>
    public static string Compute(string mac, string cpuModel, IEnumerable<string> gpuUuids) => Compute([mac], cpuModel, gpuUuids);

    /// <summary>Why <paramref name="claimed"/> is not the fingerprint of the reported parts; null when it is.</summary>
    public static string? Mismatch(string claimed, IEnumerable<string> macs, string cpuModel, IEnumerable<string> gpuUuids)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        var recomputed = Compute(macs, cpuModel, gpuUuids);
        if (string.Equals(claimed, recomputed, StringComparison.Ordinal))
            return null;
        return $"{Short(claimed)} is not the fingerprint of the reported hardware (sha256 over host.nic_macs, host.cpu_model and " +
            $"host.gpus[].uuid is {Short(recomputed)}); a container is its hardware: other hardware is a new container, which stakes anew";
    }

    /// <summary>Whether <paramref name="mac"/> is a MAC address written as six hex pairs separated by colons.</summary>
    public static bool IsMac(string mac)
    {
        ArgumentNullException.ThrowIfNull(mac);
        if (mac.Length != 17)
            return false;
        for (var i = 0; i < mac.Length; i++)
        {
            var ok = i % 3 == 2 ? mac[i] == ':' : char.IsAsciiHexDigit(mac[i]);
            if (!ok)
                return false;
        }

        return true;
    }

    private static string Short(string fingerprint) => fingerprint.Length <= 12 ? fingerprint : fingerprint[..12] + "…";
}
