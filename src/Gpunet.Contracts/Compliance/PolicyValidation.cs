namespace Gpunet.Contracts.Compliance;

// Whether a policy document is valid, and every problem in it.
public sealed record PolicyValidation(bool Valid, string? Version, IReadOnlyList<PolicyErrorView> Errors);
