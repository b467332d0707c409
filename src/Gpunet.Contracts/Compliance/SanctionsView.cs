using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Compliance;

// The sanctions list in force.
public sealed record SanctionsView([property: MaxLength(TextLimits.Version)] string Version, int Entries, int Names, [property: MaxLength(TextLimits.Url)] string Source, DateTimeOffset? ImportedAt, [property: RegularExpression(ApiPatterns.Actor)] string? ImportedBy);
