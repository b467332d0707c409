using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization.Metadata;
using Gpunet.Core;

namespace Gpunet.Coordinator.Edge;

/// <summary>Holds every answer to the lengths its shape states: a string property marked <c>[MaxLength(n)]</c>, and each
/// item of a list marked <see cref="ItemMaxLengthAttribute"/>, is written at most n characters long, cut to end in "…"
/// (<see cref="TextLimits"/>: the bounds are above what the coordinator accepts, so only text it composes is ever cut).
/// What the OpenAPI document promises a generated client is then what it gets.</summary>
internal static class StatedLengths
{
    /// <summary>A <see cref="DefaultJsonTypeInfoResolver"/> modifier: wraps the getters of the marked properties.</summary>
    public static void Apply(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object)
            return;
        foreach (var property in type.Properties)
        {
            if (property.Get is not { } get || property.AttributeProvider is not { } attributes)
                continue;
            if (property.PropertyType == typeof(string)
                && attributes.GetCustomAttributes(typeof(MaxLengthAttribute), inherit: true) is [MaxLengthAttribute { Length: > 0 } max, ..])
            {
                property.Get = o => get(o) is string s ? Cut(s, max.Length) : null;
            }
            else if (property.PropertyType == typeof(IReadOnlyList<string>)
                && attributes.GetCustomAttributes(typeof(ItemMaxLengthAttribute), inherit: true) is [ItemMaxLengthAttribute { Length: > 0 } item, ..])
            {
                property.Get = o =>
                {
                    var value = get(o);
                    return value is IReadOnlyList<string> list && list.Any(s => s.Length > item.Length)
                        ? list.Select(s => Cut(s, item.Length)).ToList()
                        : value;
                };
            }
        }
    }

    /// <summary>A problem's texts (RFC 9457), cut to the lengths the document states for them
    /// (<c>OpenApiContract.DescribeProblem</c>); its <c>errors</c> are <see cref="FieldProblem"/>s, held by
    /// <see cref="Apply(JsonTypeInfo)"/>.</summary>
    public static void Apply(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Type = CutOrNull(problem.Type, TextLimits.Url);
        problem.Title = CutOrNull(problem.Title, TextLimits.Name);
        problem.Detail = CutOrNull(problem.Detail, TextLimits.Reason);
        problem.Instance = CutOrNull(problem.Instance, TextLimits.Url);
        if (problem.Extensions.TryGetValue("field", out var field) && field is string name)
            problem.Extensions["field"] = Cut(name, TextLimits.Name);
    }

    private static string? CutOrNull(string? text, int most) => text is null ? null : Cut(text, most);

    private static string Cut(string text, int most) => ShortText.Cut(text, most);
}
