using System.Net.NetworkInformation;

namespace Gpunet.Agent.Discovery;

/// <summary>Reads the parts of the container's identity from this machine: the NIC MAC and the CPU model (the GPU UUIDs
/// come from the GPU source).</summary>
/// <remarks>The formula over them is the core's <see cref="Core.Identity.HostFingerprint"/>, which the coordinator
/// recomputes from what the agent reports.</remarks>
public static class HardwareFingerprint
{
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
