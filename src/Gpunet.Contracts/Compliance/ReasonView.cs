namespace Gpunet.Contracts.Compliance;

// One rule that stops a host, and why.
public sealed record ReasonView(string Rule, string Message);
