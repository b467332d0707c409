using System.Net.NetworkInformation;
using System.Security.Cryptography;
using System.Text;

namespace Gpunet.Agent.Discovery;

/// <summary>The container's identity: SHA-256 over the NIC MAC, the CPU model and the GPU UUIDs.</summary>
/// <remarks>Any change (a new NIC, CPU or GPU) gives a new fingerprint, hence a new container that must stake again.</remarks>
public static class HardwareFingerprint
{
    /// <summary>Computes the fingerprint from its parts; pure.</summary>
    public static string Compute(string mac, string cpuModel, IEnumerable<string> gpuUuids)
    {
        var text = $"mac={mac.ToLowerInvariant()}\ncpu={cpuModel}\ngpus={string.Join(',', gpuUuids.Order(StringComparer.Ordinal))}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>The MAC of the machine's first physical NIC (lowest name first), else of its first other non-loopback
    /// interface with a hardware address.</summary>
    /// <remarks>Neither whether a link is up nor virtual interfaces count: a Docker bridge comes up while a container
    /// publishes a port, and veth pairs come and go with containers; the fingerprint, hence the host's identity and
    /// stake, must not change with them. On Linux a physical NIC has a <c>/sys/class/net/NAME/device</c> link.</remarks>
    public static string PrimaryMac()
    {
        var nic = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.NetworkInterfaceType != NetworkInterfaceType.Loopback && n.GetPhysicalAddress().GetAddressBytes().Length == 6)
            .OrderBy(n => IsPhysical(n.Name) ? 0 : 1).ThenBy(n => n.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        return nic is null ? "00:00:00:00:00:00" : string.Join(':', nic.GetPhysicalAddress().GetAddressBytes().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static bool IsPhysical(string name) =>
        OperatingSystem.IsLinux() && !name.Contains('/', StringComparison.Ordinal) && Path.Exists(Path.Combine("/sys/class/net", name, "device"));

    /// <summary>The CPU model name from /proc/cpuinfo, or the architecture where that is not readable.</summary>
    public static string CpuModel()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal))
                    return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
    }
}
