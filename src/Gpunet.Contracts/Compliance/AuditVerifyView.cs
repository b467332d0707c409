using System.ComponentModel.DataAnnotations;
namespace Gpunet.Contracts.Compliance;

// The audit log's hash chain recomputed: the first altered or removed entry, if any.
public sealed record AuditVerifyView(bool Valid, long Entries, long? FirstInvalidSequence, [property: MaxLength(TextLimits.Reason)] string? Problem);
