using Microsoft.AspNetCore.Http.HttpResults;

namespace Gpunet.Coordinator;

/// <summary>RFC 7807 problem results that name the offending field.</summary>
internal static class Problems
{
    public static ProblemHttpResult Field(string field, string message) =>
        TypedResults.Problem(
            detail: $"{field}: {message}",
            statusCode: StatusCodes.Status400BadRequest,
            title: "Invalid request",
            extensions: new Dictionary<string, object?> { ["field"] = field });

    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(detail: what, statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
