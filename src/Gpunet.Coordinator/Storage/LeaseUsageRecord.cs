namespace Gpunet.Coordinator.Storage;

/// <summary>One accepted usage report of a lease: the period the agent signed, and the part of it billed.</summary>
/// <remarks>Times in ms are Unix milliseconds, UTC. <see cref="Epoch"/> stays null until an epoch's settlement takes the row.</remarks>
internal sealed class LeaseUsageRecord
{
    public required string LeaseId { get; set; }
    /// <summary>The lease's placement the report is from (<see cref="LeaseRecord.Attempt"/>, from 1): each host it ran on
    /// numbers its reports from 1.</summary>
    public int Attempt { get; set; } = 1;
    /// <summary>The agent's number for the report, from 1 per attempt.</summary>
    public long Sequence { get; set; }
    public required string HostId { get; set; }
    /// <summary>The host operator's address that signed it.</summary>
    public required string Operator { get; set; }
    public long FromMs { get; set; }
    public long ToMs { get; set; }
    /// <summary>The period's length as reported (<see cref="ToMs"/> − <see cref="FromMs"/>).</summary>
    public long ReportedMs { get; set; }
    /// <summary>The part of the period billed: heard by the coordinator, before the lease's end.</summary>
    public long BilledMs { get; set; }
    public int Gpus { get; set; }
    public int GpuMilli { get; set; }
    /// <summary>0x r||s||v over the canonical usage text.</summary>
    public required string Signature { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    /// <summary>The settlement epoch that took the row; null until then.</summary>
    public long? Epoch { get; set; }
}
