namespace Gpunet.Contracts.Compliance;

/// <summary>Whether a policy document is valid, and every problem in it.</summary>
public sealed record PolicyValidation(bool Valid, string? Version, IReadOnlyList<PolicyErrorView> Errors);
