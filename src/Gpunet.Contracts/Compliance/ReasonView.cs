using System.ComponentModel.DataAnnotations;
namespace Gpunet.Contracts.Compliance;

// One rule that stops a host, and why.
public sealed record ReasonView([property: MaxLength(TextLimits.Label)] string Rule, [property: MaxLength(TextLimits.Reason)] string Message);
