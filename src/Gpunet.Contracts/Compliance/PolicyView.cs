using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Compliance;

// The compliance policy in force, as YAML.
public sealed record PolicyView([property: MaxLength(TextLimits.Version)] string Version, [property: MaxLength(TextLimits.Document)] string Yaml, DateTimeOffset? AppliedAt,
    [property: RegularExpression("^(default|admin|0x[0-9a-f]{40})$")] string AppliedBy);
