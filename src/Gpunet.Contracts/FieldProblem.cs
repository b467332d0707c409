using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts;

/// <summary>One of a 400's problems (its <c>errors</c>): the request field at fault, in the request's own spelling, and
/// what is wrong with it.</summary>
public sealed record FieldProblem([property: MaxLength(TextLimits.Name)] string Field, [property: MaxLength(TextLimits.Reason)] string Message);
