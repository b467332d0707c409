namespace Gpunet.Coordinator.Storage;

/// <summary>One GPU of a host, as stored.</summary>
internal sealed class GpuRecord
{
    public required string HostId { get; set; }
    public int Index { get; set; }
    public required string Uuid { get; set; }
    public required string Model { get; set; }
    public string SmiName { get; set; } = "";
    public long MemoryTotalMib { get; set; }
    public string PciBusId { get; set; } = "";
}
