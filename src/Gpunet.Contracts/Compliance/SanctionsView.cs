using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Compliance;

// The sanctions list in force.
public sealed record SanctionsView(string Version, int Entries, int Names, string Source, DateTimeOffset? ImportedAt, [property: RegularExpression(ApiPatterns.Actor)] string? ImportedBy);
