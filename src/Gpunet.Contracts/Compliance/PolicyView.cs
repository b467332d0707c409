namespace Gpunet.Contracts.Compliance;

// The compliance policy in force, as YAML.
public sealed record PolicyView(string Version, string Yaml, DateTimeOffset? AppliedAt, string AppliedBy);
