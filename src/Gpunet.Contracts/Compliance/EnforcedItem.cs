using System.ComponentModel.DataAnnotations;
namespace Gpunet.Contracts.Compliance;

/// <summary>A host paused or a lease ended by compliance, and why.</summary>
public sealed record EnforcedItem([property: MaxLength(TextLimits.Label)] string Id, [property: MaxLength(TextLimits.Reason)] string Reason);
