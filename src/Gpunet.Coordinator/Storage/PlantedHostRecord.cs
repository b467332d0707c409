namespace Gpunet.Coordinator.Storage;

/// <summary>A registered host the network's operator planted as a honeypot (its agent runs with <c>--honeypot</c>): its
/// checks' right answer is "fail". Retired, the row stays, so that which checks were planted can be shown.</summary>
internal sealed class PlantedHostRecord
{
    public required string HostId { get; set; }
    public DateTimeOffset PlantedAt { get; set; }
    public required string PlantedBy { get; set; }
    public DateTimeOffset? RetiredAt { get; set; }
    public string? RetiredBy { get; set; }
    public long Version { get; set; }
}
