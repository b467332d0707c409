namespace Gpunet.Coordinator;

/// <summary>Endpoint metadata: what one of an operation's route or query parameters accepts, for the OpenAPI
/// document (the handler checks it and answers 400 naming the parameter).</summary>
/// <param name="Name">The parameter as the route or query names it (<c>id</c>, <c>limit</c>).</param>
/// <param name="Pattern">A regular expression the value matches, or null.</param>
/// <param name="Minimum">The smallest number accepted, or null.</param>
/// <param name="Maximum">The largest number accepted, or null.</param>
/// <param name="Values">The only values accepted (matched ignoring case where the handler does), or null.</param>
internal sealed record ParameterContract(string Name, string? Pattern = null, long? Minimum = null, long? Maximum = null, IReadOnlyList<string>? Values = null);
