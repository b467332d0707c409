namespace Gpunet.Contracts.Compliance;

/// <summary>One rule that stops a host, and why.</summary>
public sealed record ReasonView(string Rule, string Message);
