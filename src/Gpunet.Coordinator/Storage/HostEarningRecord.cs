namespace Gpunet.Coordinator.Storage;

/// <summary>What one host earned and gave up in one settled epoch (<c>HostEarning</c>); written with the settlement's
/// transfers, which name the operator's vesting account and not the host. Amounts in base units.</summary>
internal sealed class HostEarningRecord
{
    public required string HostId { get; set; }
    public long Epoch { get; set; }
    public required string Operator { get; set; }
    public long Capacity { get; set; }
    public long Delivery { get; set; }
    public long Fees { get; set; }
    public long Slashed { get; set; }
    public long Credited { get; set; }
}
