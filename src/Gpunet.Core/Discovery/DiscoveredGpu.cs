using Gpunet.Core.Gpus;

namespace Gpunet.Core.Discovery;

/// <summary>One GPU as nvidia-smi reported it, with the catalog model it was recognised as.</summary>
/// <remarks>Memory figures are MiB, as nvidia-smi prints them; utilisation is percent; temperature is °C.</remarks>
/// <param name="Index">nvidia-smi's index of the GPU on this machine (0-based).</param>
/// <param name="Uuid">The GPU's UUID, <c>GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx</c>; stable across reboots.</param>
/// <param name="Name">The product name as printed, e.g. <c>NVIDIA H100 80GB HBM3</c>.</param>
/// <param name="Model">The catalog model, or null when the name and memory match none.</param>
/// <param name="MemoryTotalMiB">Total memory, MiB.</param>
/// <param name="MemoryUsedMiB">Memory in use, MiB; null where the driver does not report it.</param>
/// <param name="UtilizationPct">GPU utilisation, percent; null where the driver does not report it (MIG, vGPU).</param>
/// <param name="TemperatureC">Core temperature, °C; null where not reported.</param>
/// <param name="DriverVersion">The NVIDIA driver version, e.g. <c>550.54.15</c>.</param>
/// <param name="PciBusId">PCI bus id, <c>domain:bus:device.function</c>, e.g. <c>00000000:18:00.0</c>.</param>
public sealed record DiscoveredGpu(
    int Index,
    string Uuid,
    string Name,
    GpuModel? Model,
    long MemoryTotalMiB,
    long? MemoryUsedMiB,
    int? UtilizationPct,
    int? TemperatureC,
    string DriverVersion,
    string PciBusId);
