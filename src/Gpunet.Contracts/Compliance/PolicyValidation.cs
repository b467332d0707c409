using System.ComponentModel.DataAnnotations;
namespace Gpunet.Contracts.Compliance;

/// <summary>Whether a policy document is valid, and its problems: the first 100 listed, the rest counted in
/// <c>unlisted</c> (null when every one is listed).</summary>
public sealed record PolicyValidation(bool Valid, [property: MaxLength(TextLimits.Version)] string? Version,
    [property: MaxLength(ShortLists.Problems)] IReadOnlyList<PolicyErrorView> Errors, int? Unlisted = null);
