using Gpunet.Agent.Discovery;
using Gpunet.Core.Identity;
using Gpunet.Protocol;

namespace Gpunet.Agent;

/// <summary>What an agent tells the coordinator about its machine when it registers.</summary>
public static class HostDescriptions
{
    /// <summary>Describes this machine: declared location and price, discovered GPUs, and the hardware fingerprint
    /// over <paramref name="mac"/>, <paramref name="cpuModel"/> and the GPU UUIDs.</summary>
    public static HostDescription Build(AgentOptions options, GpuInventory inventory, string mac, string cpuModel)
    {
        var d = new HostDescription
        {
            Fingerprint = HostFingerprint.Compute(mac, cpuModel, inventory.Gpus.Select(g => g.Uuid)),
            Hostname = options.Hostname ?? Environment.MachineName,
            Country = options.Country.ToUpperInvariant(),
            Region = options.Region,
            Latitude = options.Latitude,
            Longitude = options.Longitude,
            PublicIp = options.PublicIp,
            PriceUsdPerGpuHour = options.PriceUsdPerGpuHour,
            DriverVersion = inventory.DriverVersion,
            CudaVersion = inventory.CudaVersion,
            CpuCores = Environment.ProcessorCount,
            MemoryMb = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024),
            CpuModel = cpuModel,
            Simulated = inventory.Simulated,
            NicMacs = { mac.ToLowerInvariant() }, // what the coordinator recomputes the fingerprint from
        };
        foreach (var g in inventory.Gpus)
        {
            d.Gpus.Add(new GpuDescription
            {
                Index = g.Index,
                Uuid = g.Uuid,
                Model = g.Model?.Name ?? g.Name,
                SmiName = g.Name,
                MemoryTotalMib = g.MemoryTotalMiB,
                PciBusId = g.PciBusId,
            });
        }

        return d;
    }
}
