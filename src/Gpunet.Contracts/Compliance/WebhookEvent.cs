using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Compliance;

/// <summary>The event body a vendor sends.</summary>
public sealed record WebhookEvent(
    [property: Required, StringLength(128, MinimumLength = 1)] string? EventId,
    [property: Required, Description("The submission's id, as the coordinator sent it")] string? Reference,
    [property: Required, AllowedValues("approved", "rejected")] string? Status,
    [property: Required] DateTimeOffset? OccurredAt,
    string? Reason,
    bool Final);
