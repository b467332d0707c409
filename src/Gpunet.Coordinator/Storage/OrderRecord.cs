namespace Gpunet.Coordinator.Storage;

/// <summary>An accepted order: who placed it and what it asks for, its terms as the marketplace stores them.</summary>
internal sealed class OrderRecord
{
    public required string Id { get; set; }
    /// <summary>The customer's wallet address, or <c>admin</c>.</summary>
    public required string Owner { get; set; }
    /// <summary>The order's terms (<c>StoredOrder</c> JSON).</summary>
    public required string Spec { get; set; }
    public int Hosts { get; set; }
    /// <summary>UTC.</summary>
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>UTC: a lease still waiting for capacity then expires.</summary>
    public DateTimeOffset QueueDeadline { get; set; }
}
