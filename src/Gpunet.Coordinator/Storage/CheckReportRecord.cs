namespace Gpunet.Coordinator.Storage;

/// <summary>One checker's signed report on one check, as received, with whether the majority found it right.</summary>
internal sealed class CheckReportRecord
{
    public required string CheckId { get; set; }
    public required string Checker { get; set; }
    public bool Passed { get; set; }
    public string Reason { get; set; } = "";
    public long RoundTripMicros { get; set; }
    public double ThroughputMbps { get; set; }
    /// <summary>Capacity checks: every GPU's verdict as JSON; empty otherwise.</summary>
    public string Gpus { get; set; } = "";
    public DateTimeOffset SignedAt { get; set; }
    /// <summary>0x r||s||v over the canonical report text (CheckReportStatement): anyone can check it.</summary>
    public required string Signature { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    /// <summary>Whether it agreed with the decision: null until the check is decided (or when it was undecided).</summary>
    public bool? Correct { get; set; }
}
