using System.ComponentModel.DataAnnotations;
namespace Gpunet.Contracts.Compliance;

// Whether a policy document is valid, and every problem in it.
public sealed record PolicyValidation(bool Valid, [property: MaxLength(TextLimits.Version)] string? Version, IReadOnlyList<PolicyErrorView> Errors);
