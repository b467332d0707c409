using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Compliance;

// A host's location check: where its address resolves against where it says it is, and any officer's clearance.
public sealed record LocationView(
    [property: RegularExpression(@"^([0-9a-f:.]{2,45}(%[0-9]{1,10})?)?$")] string Address, [property: MaxLength(TextLimits.Label)] string Source,
    [property: RegularExpression(ApiPatterns.Country)] string? ResolvedCountry, [property: RegularExpression(ApiPatterns.Country)] string DeclaredCountry, [property: MaxLength(TextLimits.Label)] string Check, [property: MaxLength(TextLimits.Reason)] string Detail,
    [property: MaxLength(TextLimits.Name)] string Database, DateTimeOffset CheckedAt, [property: RegularExpression(ApiPatterns.Actor)] string? ClearedBy, DateTimeOffset? ClearedAt, [property: MaxLength(TextLimits.Reason)] string? ClearedReason);
