namespace Gpunet.Core.Scheduling;

/// <summary>One node's total capacity: CPU in millicores, memory in MiB, and its GPUs (all of one model).</summary>
public sealed record NodeSpec(string Name, int CpuMilli, int MemoryMib, int GpuCount, string GpuModel)
{
    /// <summary>Throws when a figure is negative or a node with GPUs names no model.</summary>
    public void Validate()
    {
        if (CpuMilli < 0 || MemoryMib < 0 || GpuCount < 0)
            throw new ArgumentException($"node {Name}: CPU, memory and GPU count must not be negative");
        if (GpuCount > 0 && string.IsNullOrEmpty(GpuModel))
            throw new ArgumentException($"node {Name}: a node with GPUs needs a GPU model");
    }
}
