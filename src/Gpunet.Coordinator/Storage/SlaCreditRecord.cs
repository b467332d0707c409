namespace Gpunet.Coordinator.Storage;

/// <summary>One epoch's SLA reckoning of one tiered lease: its month-to-date availability and fees, the credit due to
/// date, and what this epoch's settlement paid the customer (written with the settlement, exactly once).</summary>
internal sealed class SlaCreditRecord
{
    public required string LeaseId { get; set; }
    public long Epoch { get; set; }
    /// <summary>The calendar month reckoned, <c>YYYY-MM</c> (UTC).</summary>
    public required string Month { get; set; }
    public required string Customer { get; set; }
    /// <summary>The host that owes the credit (the lease's host at the epoch's end, else its last).</summary>
    public string? HostId { get; set; }
    public required string Tier { get; set; }
    /// <summary>Seconds of the month so far the lease was owed service (from its first start to its end).</summary>
    public long ObligatedSeconds { get; set; }
    /// <summary>Of those, seconds down by a cause that counts against the customer (maintenance does not).</summary>
    public long DowntimeSeconds { get; set; }
    /// <summary>1 − downtime / obligated, as a fraction.</summary>
    public double Availability { get; set; }
    /// <summary>Whether a replacement this month took longer than the tier allows.</summary>
    public bool ReplacementBroken { get; set; }
    /// <summary>Fees charged for the lease this month so far, base units.</summary>
    public long FeesBaseUnits { get; set; }
    /// <summary>The credit due for the month so far, base units.</summary>
    public long DueBaseUnits { get; set; }
    /// <summary>Paid to the customer by this epoch's settlement, base units.</summary>
    public long CreditedBaseUnits { get; set; }
    /// <summary>Due this epoch but not paid: the host had neither rewards nor stake left, base units.</summary>
    public long ShortBaseUnits { get; set; }
    /// <summary>The ledger transfers that paid it (from vesting, then stake), comma-separated; empty when none did.</summary>
    public string TransferIds { get; set; } = "";
    /// <summary>The breach in words, as the ledger transfer's reason.</summary>
    public string Reason { get; set; } = "";
    public DateTimeOffset At { get; set; }
}
