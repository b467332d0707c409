using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Compliance;

/// <summary>A compliance policy to apply or validate.</summary>
public sealed record PolicyRequest([property: Required, Description("The policy document, YAML")] string? Yaml);
