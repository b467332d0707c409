namespace Gpunet.Coordinator.Storage;

/// <summary>A sanctions list as imported (the OFAC SDN CSV text, with its aliases); the newest row is in force.</summary>
internal sealed class SanctionsListRecord
{
    public long Id { get; set; }
    public required string Version { get; set; }
    public required string Sdn { get; set; }
    public string? Alt { get; set; }
    public int Entries { get; set; }
    public DateTimeOffset ImportedAt { get; set; }
    public required string ImportedBy { get; set; }
}
