namespace Gpunet.Coordinator.Storage;

/// <summary>Where a participant's alerts are sent, and the secret their signatures are made with.</summary>
internal sealed class AlertWebhookRecord
{
    /// <summary>The wallet, lowercase.</summary>
    public required string Address { get; set; }
    public required string Url { get; set; }

    /// <summary>The HMAC-SHA256 key, 64 hex characters, shown to the participant once when the webhook is set.</summary>
    public required string Secret { get; set; }
    public DateTimeOffset SetAt { get; set; }
}
