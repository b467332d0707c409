using System.ComponentModel.DataAnnotations;
namespace Gpunet.Contracts.Compliance;

/// <summary>What the coordinator answers a KYC vendor's accepted webhook delivery (the OpenAPI document's shape of it).</summary>
/// <param name="Outcome">What the event came to: <c>applied: …</c>, <c>ignored: …</c>, <c>noted: …</c> or <c>duplicate: …</c>.</param>
public sealed record WebhookReceipt([property: MaxLength(TextLimits.Label)] string Outcome);
