using Gpunet.Core.Discovery;

namespace Gpunet.Agent.Discovery;

/// <summary>What discovery found on this machine at one moment.</summary>
/// <param name="Gpus">One entry per GPU, in index order.</param>
/// <param name="DriverVersion">NVIDIA driver version, e.g. 550.54.15.</param>
/// <param name="CudaVersion">Highest CUDA version the driver supports, e.g. 12.4; empty when unknown.</param>
/// <param name="Simulated">True when the GPUs are simulated.</param>
public sealed record GpuInventory(IReadOnlyList<DiscoveredGpu> Gpus, string DriverVersion, string CudaVersion, bool Simulated);
