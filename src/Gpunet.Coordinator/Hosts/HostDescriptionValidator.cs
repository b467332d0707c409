using System.Net;
using Gpunet.Core.Geography;
using Gpunet.Core.Gpus;
using Gpunet.Core.Identity;
using Gpunet.Protocol;

namespace Gpunet.Coordinator.Hosts;

/// <summary>Checks what an agent says about its machine; every problem is named by its field.</summary>
internal static class HostDescriptionValidator
{
    public const int MaxGpusPerHost = ShortLists.GpusPerHost;
    public const double MaxPriceUsdPerGpuHour = 1000;

    public static List<string> Validate(HostDescription? d)
    {
        var errors = new List<string>();
        if (d is null)
        {
            errors.Add("host: required");
            return errors;
        }

        if (d.Fingerprint.Length != 64 || !d.Fingerprint.All(char.IsAsciiHexDigitLower))
            errors.Add("host.fingerprint: expected 64 lower-case hex digits (sha256)");
        if (string.IsNullOrWhiteSpace(d.Country))
            errors.Add("host.country: required (ISO 3166-1 alpha-2)");
        else if (!Countries.IsKnown(d.Country))
            errors.Add($"host.country: unknown country code '{Clip(d.Country)}'");
        // What the host list shows of it, no longer than the API states (TextLimits).
        foreach (var (field, text, most) in new[]
        {
            ("region", d.Region, TextLimits.Region), ("hostname", d.Hostname, TextLimits.Hostname),
            ("driver_version", d.DriverVersion, TextLimits.Version), ("cuda_version", d.CudaVersion, TextLimits.CudaVersion),
            ("cpu_model", d.CpuModel, TextLimits.CpuModel),
        })
        {
            if (text.Length > most)
                errors.Add($"host.{field}: at most {most} characters");
        }

        if (double.IsNaN(d.Latitude) || d.Latitude is < -90 or > 90)
            errors.Add("host.latitude: between -90 and 90");
        if (double.IsNaN(d.Longitude) || d.Longitude is < -180 or > 180)
            errors.Add("host.longitude: between -180 and 180");
        if (d.PublicIp.Length > 0 && !IPAddress.TryParse(d.PublicIp, out _))
            errors.Add($"host.public_ip: '{Clip(d.PublicIp)}' is not an IP address");
        if (double.IsNaN(d.PriceUsdPerGpuHour) || d.PriceUsdPerGpuHour <= 0 || d.PriceUsdPerGpuHour > MaxPriceUsdPerGpuHour)
            errors.Add($"host.price_usd_per_gpu_hour: must be above 0 and at most {MaxPriceUsdPerGpuHour}");
        if (d.CpuCores < 0 || d.MemoryMb < 0)
            errors.Add("host.cpu_cores/memory_mb: may not be negative");
        if (d.Gpus.Count == 0)
            errors.Add("host.gpus: at least one GPU is required");
        if (d.Gpus.Count > MaxGpusPerHost)
            errors.Add($"host.gpus: at most {MaxGpusPerHost} GPUs per host");

        ValidateMacs(d, errors);

        var indices = new HashSet<int>();
        var uuids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var g in d.Gpus)
        {
            if (!GpuCatalog.TryGet(g.Model, out _))
                errors.Add($"host.gpus[{g.Index}].model: unknown GPU model '{Clip(g.Model)}'");
            if (g.SmiName.Length > TextLimits.SmiName)
                errors.Add($"host.gpus[{g.Index}].smi_name: at most {TextLimits.SmiName} characters");
            if (g.Index < 0 || !indices.Add(g.Index))
                errors.Add($"host.gpus[{g.Index}].index: duplicate or negative");
            if (string.IsNullOrWhiteSpace(g.Uuid))
                errors.Add($"host.gpus[{g.Index}].uuid: required");
            else if (g.Uuid.Length > 64)
                errors.Add($"host.gpus[{g.Index}].uuid: at most 64 characters");
            else if (!uuids.TryAdd(g.Uuid, g.Index))
                errors.Add($"host.gpus[{g.Index}].uuid: '{Clip(g.Uuid)}' is also host.gpus[{uuids[g.Uuid]}].uuid; each GPU has its own UUID");
        }

        // The fingerprint is recomputed only from parts that are well formed: otherwise their own errors say what is wrong.
        if (errors.Count == 0 && HostFingerprint.Mismatch(d.Fingerprint, d.NicMacs, d.CpuModel, d.Gpus.Select(g => g.Uuid)) is { } mismatch)
            errors.Add("host.fingerprint: " + mismatch);
        return errors;
    }

    private static void ValidateMacs(HostDescription d, List<string> errors)
    {
        if (d.NicMacs.Count == 0)
        {
            errors.Add("host.nic_macs: required: the MAC addresses the fingerprint is computed over, so that the coordinator can " +
                "recompute it (an agent that sends none is too old: upgrade it)");
            return;
        }

        if (d.NicMacs.Count > HostFingerprint.MaxMacs)
            errors.Add($"host.nic_macs: at most {HostFingerprint.MaxMacs} MAC addresses");
        for (var i = 0; i < d.NicMacs.Count; i++)
        {
            if (!HostFingerprint.IsMac(d.NicMacs[i]))
                errors.Add($"host.nic_macs[{i}]: '{Clip(d.NicMacs[i])}' is not a MAC address (six hex pairs separated by ':')");
        }
    }

    private static string Clip(string s) => s.Length <= 40 ? s : s[..37] + "...";
}
