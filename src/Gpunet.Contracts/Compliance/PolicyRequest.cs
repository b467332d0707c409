using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Compliance;

// A compliance policy to apply or validate.
public sealed record PolicyRequest([property: Required, Description("The policy document, YAML")] string? Yaml);
