namespace Gpunet.Core.Scheduling;

/// <summary>One node's free capacity, kept in <see cref="ClusterCapacity"/>'s array of structs.</summary>
/// <remarks>The node's GPUs are <c>GpuCount</c> entries of the cluster's flat per-GPU array from <c>GpuOffset</c>.
/// <c>FullFreeGpus</c> and <c>MaxFreeMilli</c> summarise them for the fast filter.</remarks>
internal struct NodeCapacity
{
    public int FreeCpuMilli;
    public int FreeMemoryMib;
    public int TotalCpuMilli;
    public int TotalMemoryMib;
    public int GpuOffset;
    public int GpuCount;
    public int ModelId;
    public int FullFreeGpus;
    public int MaxFreeMilli;
    public int FreeGpuMilli;
    public int Version;
}
