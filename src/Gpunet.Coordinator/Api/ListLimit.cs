using Microsoft.AspNetCore.Http.HttpResults;

namespace Gpunet.Coordinator;

/// <summary>Endpoint metadata of a list that answers at most <paramref name="Maximum"/> items: its <c>limit</c> query
/// parameter takes 1 to <paramref name="Maximum"/> and is <paramref name="Default"/> when left out. The OpenAPI document
/// states both, and the answer's <c>maxItems</c>.</summary>
internal sealed record ListLimit(int Default, int Maximum)
{
    /// <summary>A 400 naming <c>limit</c> when the request's is out of range; null when it is in range or left out.</summary>
    public ProblemHttpResult? Refuse(int? limit) =>
        limit is { } n && (n < 1 || n > Maximum) ? Problems.Field("limit", $"between 1 and {Maximum}") : null;

    /// <summary>How many items to answer with for the <c>limit</c> a request gave (one <see cref="Refuse"/> let through).</summary>
    public int Of(int? limit) => limit ?? Default;
}

/// <summary>Declares an endpoint's <see cref="ListLimit"/>.</summary>
internal static class ListLimits
{
    public static RouteHandlerBuilder WithListLimit(this RouteHandlerBuilder builder, ListLimit limit) =>
        builder.WithParameter("limit", minimum: 1, maximum: limit.Maximum).WithMetadata(limit);
}
