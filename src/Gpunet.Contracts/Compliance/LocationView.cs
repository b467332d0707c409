namespace Gpunet.Contracts.Compliance;

// A host's location check: where its address resolves against where it says it is, and any officer's clearance.
public sealed record LocationView(string Address, string Source, string? ResolvedCountry, string DeclaredCountry, string Check, string Detail,
    string Database, DateTimeOffset CheckedAt, string? ClearedBy, DateTimeOffset? ClearedAt, string? ClearedReason);
