namespace Gpunet.Contracts.Compliance;

// The sanctions list in force.
public sealed record SanctionsView(string Version, int Entries, int Names, string Source, DateTimeOffset? ImportedAt, string? ImportedBy);
