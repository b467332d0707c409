using System.ComponentModel.DataAnnotations;
namespace Gpunet.Contracts.Compliance;

// One problem in a policy document, at its line.
public sealed record PolicyErrorView(int Line, [property: MaxLength(TextLimits.Name)] string Field, [property: MaxLength(TextLimits.Reason)] string Message);
