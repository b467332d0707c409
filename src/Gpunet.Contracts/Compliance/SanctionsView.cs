namespace Gpunet.Contracts.Compliance;

/// <summary>The sanctions list in force.</summary>
public sealed record SanctionsView(string Version, int Entries, int Names, string Source, DateTimeOffset? ImportedAt, string? ImportedBy);
