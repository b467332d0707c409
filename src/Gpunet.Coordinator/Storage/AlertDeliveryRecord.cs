namespace Gpunet.Coordinator.Storage;

/// <summary>An alert delivered to a participant's webhook, so it is sent once.</summary>
internal sealed class AlertDeliveryRecord
{
    public required string Address { get; set; }

    /// <summary>What the alert is, stable while it lasts: <c>check-failed:CHECK</c>, <c>host-paused:HOST:SINCE</c>,
    /// <c>low-balance:DAY</c> (a low balance is told once a day while it lasts).</summary>
    public required string Key { get; set; }
    public DateTimeOffset SentAt { get; set; }
}
