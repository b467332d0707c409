namespace Gpunet.Contracts.Compliance;

/// <summary>The compliance policy in force, as YAML.</summary>
public sealed record PolicyView(string Version, string Yaml, DateTimeOffset? AppliedAt, string AppliedBy);
