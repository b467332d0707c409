namespace Gpunet.Coordinator.Storage;

/// <summary>A checker's licence: granted by the network operator to a wallet, revoked the same way (the row stays, so who
/// was a checker when is never lost).</summary>
internal sealed class CheckerLicenceRecord
{
    /// <summary>The checker's wallet address, lowercase.</summary>
    public required string Address { get; set; }
    public DateTimeOffset GrantedAt { get; set; }
    public required string GrantedBy { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedBy { get; set; }
    /// <summary>Why it was granted, or (once revoked) why it was revoked.</summary>
    public string? Reason { get; set; }
    public long Version { get; set; }
}
