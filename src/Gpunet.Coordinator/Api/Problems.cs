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

    /// <summary>A refusal's extensions for a request with several problems: <c>field</c> names the first, <c>errors</c>
    /// lists the first <see cref="ShortLists.Problems"/> and <c>unlisted</c> counts the rest (a 64 KiB body can hold
    /// tens of thousands of bad items; the answer stays short).</summary>
    public static Dictionary<string, object?> Listing<T>(string field, IReadOnlyList<T> problems, Func<T, object> view)
    {
        var (listed, unlisted) = ShortLists.Cut(problems, ShortLists.Problems);
        var extensions = new Dictionary<string, object?> { ["field"] = field, ["errors"] = listed.Select(view).ToList() };
        if (unlisted is not null)
            extensions["unlisted"] = unlisted;
        return extensions;
    }

    /// <summary>The problems as one <c>detail</c>, cut to the length the document states, then
    /// <paramref name="end"/>; where there are more than <see cref="ShortLists.Problems"/>, it says how many.</summary>
    public static string Summary<T>(IReadOnlyList<T> problems, Func<T, string>? text = null, string end = "")
    {
        var tail = (problems.Count > ShortLists.Problems
            ? $"; {problems.Count} problems in all, the first {ShortLists.Problems} in errors" : "") + end;
        var listed = string.Join("; ", problems.Take(ShortLists.Problems).Select(p => text is null ? p?.ToString() : text(p)));
        return Core.ShortText.Cut(listed, TextLimits.Reason - tail.Length) + tail;
    }
}
