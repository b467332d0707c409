namespace Gpunet.Coordinator.Storage;

/// <summary>How a lease is paid, kept apart from the lease row (which the market owns) because epoch settlement
/// changes it: created with the order, in the same transaction as its escrow.</summary>
internal sealed class LeaseBillingRecord
{
    public required string LeaseId { get; set; }
    /// <summary>The customer's wallet address.</summary>
    public required string Customer { get; set; }
    /// <summary><c>reserve</c> (the whole term prepaid into escrow) or <c>on-demand</c> (an amount held, charged per
    /// second metered).</summary>
    public required string Kind { get; set; }
    /// <summary>The token's USD rate locked when the order was placed.</summary>
    public decimal UsdPerToken { get; set; }
    /// <summary>The order's maximum price, at which escrow and holds are taken.</summary>
    public decimal MaxUsdPerGpuHour { get; set; }
    public int Gpus { get; set; }
    public int GpuMilli { get; set; }
    /// <summary>The term in seconds; 0 for an on-demand lease without one.</summary>
    public long TermSeconds { get; set; }
    /// <summary>Seconds charged so far (on-demand: what later holds still cover).</summary>
    public long ChargedSeconds { get; set; }
    /// <summary>Metered milliseconds short of a whole second, not charged yet: carried into the next epoch's charge.</summary>
    public long CarriedMs { get; set; }
    /// <summary>On-demand: the open hold (pending transfer id, 32 hex digits) and its amount in base units.</summary>
    public string? HoldId { get; set; }
    public long HoldAmount { get; set; }
    /// <summary>The epoch whose settlement closed the escrow (last charge and refund); null while open.</summary>
    public long? ClosedEpoch { get; set; }
}
