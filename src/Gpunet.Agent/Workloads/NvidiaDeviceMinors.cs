using System.Globalization;

namespace Gpunet.Agent.Workloads;

/// <summary>Which <c>/dev/nvidiaN</c> node is which GPU: the driver's device minor of each GPU, by nvidia-smi's index.</summary>
/// <remarks>nvidia-smi (NVML) numbers GPUs in PCI bus order; the driver numbers its device nodes by minor, which usually
/// but not always follows that order. Handing a lease <c>/dev/nvidia{index}</c> on a machine where they differ would give
/// it another tenant's GPU, so the sandbox reads the minors from <c>/proc/driver/nvidia/gpus/PCI/information</c>
/// ("Device Minor: N") and orders them by PCI bus id.</remarks>
internal static class NvidiaDeviceMinors
{
    /// <summary>Where the driver describes each GPU, one folder per PCI bus id.</summary>
    public const string DriverFolder = "/proc/driver/nvidia/gpus";

    /// <summary>The device minor of each GPU by nvidia-smi index, read from <paramref name="driverFolder"/>; empty where
    /// the driver is not loaded (simulated GPUs), and then the index is the node's number.</summary>
    public static IReadOnlyDictionary<int, int> Read(string driverFolder = DriverFolder)
    {
        try
        {
            if (!Directory.Exists(driverFolder))
                return new Dictionary<int, int>();
            var gpus = Directory.GetDirectories(driverFolder)
                .Select(dir => (Pci: Path.GetFileName(dir), Info: TryRead(Path.Combine(dir, "information"))))
                .Where(g => g.Info is not null)
                .Select(g => (g.Pci, g.Info!));
            return FromInformation(gpus);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Dictionary<int, int>();
        }
    }

    /// <summary>The minors by index from each GPU's PCI bus id and the text of its <c>information</c> file; pure.</summary>
    /// <exception cref="FormatException">A GPU's information has no readable "Device Minor".</exception>
    public static IReadOnlyDictionary<int, int> FromInformation(IEnumerable<(string PciBusId, string Information)> gpus)
    {
        var index = 0;
        var minors = new Dictionary<int, int>();
        // NVML's index order is PCI bus id order (domain, bus, device, function: fixed-width hex, so ordinal order).
        foreach (var (pci, information) in gpus.OrderBy(g => g.PciBusId.ToLowerInvariant(), StringComparer.Ordinal))
            minors[index++] = Minor(pci, information);
        return minors;
    }

    /// <summary>The device node a GPU of nvidia-smi index <paramref name="index"/> has: <c>nvidiaMINOR</c>.</summary>
    public static string NodeName(IReadOnlyDictionary<int, int> minors, int index) =>
        "nvidia" + (minors.TryGetValue(index, out var minor) ? minor : index).ToString(CultureInfo.InvariantCulture);

    private static int Minor(string pci, string information)
    {
        foreach (var line in information.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim() == "Device Minor"
                && int.TryParse(line[(colon + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
            {
                return minor;
            }
        }

        throw new FormatException($"the driver's information on GPU {pci} names no device minor");
    }

    private static string? TryRead(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
