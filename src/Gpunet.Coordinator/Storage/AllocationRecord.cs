namespace Gpunet.Coordinator.Storage;

/// <summary>Resources given to one placement on one host.</summary>
internal sealed class AllocationRecord
{
    public required string Id { get; set; }
    public required string HostId { get; set; }
    /// <summary>GPU indices on the host, comma-separated; empty for a CPU-only placement.</summary>
    public string GpuIndices { get; set; } = "";
    /// <summary>Thousandths taken from each GPU in <see cref="GpuIndices"/>.</summary>
    public int GpuMilliEach { get; set; }
    public int CpuMilli { get; set; }
    public int MemoryMib { get; set; }
    /// <summary>UTC.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
