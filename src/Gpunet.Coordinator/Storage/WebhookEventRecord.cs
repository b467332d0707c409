namespace Gpunet.Coordinator.Storage;

/// <summary>A KYC vendor's webhook event, kept so that a replay is recognised and changes nothing.</summary>
internal sealed class WebhookEventRecord
{
    public required string Provider { get; set; }
    public required string EventId { get; set; }
    public required string SubmissionId { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    /// <summary>What it did: <c>applied</c>, <c>out-of-order</c>, <c>refused: …</c>.</summary>
    public required string Outcome { get; set; }
}
