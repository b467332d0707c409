namespace Gpunet.Agent.Discovery;

/// <summary>Where the agent learns about its GPUs: nvidia-smi, or a simulation that speaks nvidia-smi's format.</summary>
public interface IGpuSource
{
    /// <summary>Reads the GPUs and their current utilisation, temperature and memory use.</summary>
    Task<GpuInventory> ReadAsync(CancellationToken ct);
}
