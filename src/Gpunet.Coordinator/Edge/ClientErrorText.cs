using System.Text.Json;
using System.Text.RegularExpressions;

namespace Gpunet.Coordinator.Edge;

/// <summary>What was wrong with a request the framework could not read, in the client's words: the field (a JSON path
/// or a parameter) and what it should hold, never the server's type names.</summary>
internal static partial class ClientErrorText
{
    /// <summary>The field at fault (null when the whole request is) and a sentence that starts with it.</summary>
    public static (string? Field, string Detail) Describe(Exception e)
    {
        if (e is JsonException json)
            return Json(json);
        if (e is not BadHttpRequestException bad)
            return (null, Scrub(e.Message));
        if (bad.InnerException is JsonException inner)
            return Json(inner);

        var message = bad.Message;
        if (BindFailed().Match(message) is { Success: true } m)
        {
            var name = m.Groups["name"].Value;
            return (name, $"{name}: '{Clip(m.Groups["value"].Value)}' is not {Expected(m.Groups["type"].Value)}");
        }

        if (Missing().Match(message) is { Success: true } missing)
        {
            return missing.Groups["source"].Value == "body"
                ? ("body", "body: a JSON body is required")
                : (missing.Groups["name"].Value, $"{missing.Groups["name"].Value}: required");
        }

        if (message.StartsWith("Implicit body inferred", StringComparison.Ordinal))
            return ("body", "body: a JSON body is required");
        return (null, Scrub(message));
    }

    private static (string? Field, string Detail) Json(JsonException e)
    {
        var field = Field(e.Path);
        if (Converted().Match(e.Message) is { Success: true } m)
            return (field, $"{field}: the JSON value must be {Expected(m.Groups["type"].Value)}");
        if (MissingProperties().Match(e.Message) is { Success: true } props)
        {
            var name = props.Groups["name"].Value;
            return (name, $"{name}: required");
        }

        var sentence = Scrub(e.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd('.', ' '));
        // The reader's own exception marks a syntax error; it names the character and the position, not a type.
        if (e.InnerException?.GetType().Name == "JsonReaderException")
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
            return (field, $"{field}: not valid JSON: {sentence}{where}");
        }

        // A converter's own refusal (e.g. a token amount that does not parse) says what is expected.
        return (field, $"{field}: {sentence}");
    }

    /// <summary><c>$.gpu[0]</c> → <c>gpu[0]</c>; the whole document is the <c>body</c>.</summary>
    private static string Field(string? path)
    {
        var p = path?.StartsWith("$.", StringComparison.Ordinal) == true ? path[2..] : path?.TrimStart('$');
        return string.IsNullOrEmpty(p) ? "body" : p;
    }

    /// <summary>What a value of a .NET type looks like in JSON or a query string.</summary>
    private static string Expected(string type)
    {
        type = type.Trim();
        if (NullableOf().Match(type) is { Success: true } n)
            type = n.Groups["inner"].Value;
        type = type.TrimEnd('?');
        return type switch
        {
            "int" or "long" or "short" or "byte" or "uint" or "ulong" or "ushort" or "sbyte"
                or "System.Int32" or "System.Int64" or "System.Int16" or "System.Byte" or "System.UInt32" or "System.UInt64" or "System.UInt16"
                or "System.SByte" or "Int32" or "Int64" => "a whole number in range",
            "decimal" or "double" or "float" or "System.Decimal" or "System.Double" or "System.Single" => "a number",
            "bool" or "System.Boolean" => "true or false",
            "string" or "System.String" => "a string",
            "Guid" or "System.Guid" => "a UUID",
            "DateTimeOffset" or "DateTime" or "System.DateTimeOffset" or "System.DateTime" => "a date and time (ISO 8601, e.g. 2025-01-31T12:00:00Z)",
            "TimeSpan" or "System.TimeSpan" => "a duration (e.g. 01:30:00)",
            _ when type.EndsWith("[]", StringComparison.Ordinal) || type.Contains("List`", StringComparison.Ordinal)
                || type.Contains("IReadOnlyList`", StringComparison.Ordinal) || type.Contains("Dictionary`", StringComparison.Ordinal)
                => type.Contains("Dictionary`", StringComparison.Ordinal) ? "a JSON object" : "a JSON array",
            _ when EnumNamed(type) is { } names => $"one of {string.Join(", ", names)}",
            _ => "a JSON object",
        };
    }

    // The framework names the enum's .NET type; the client needs its values.
    private static string[]? EnumNamed(string type)
    {
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.GetType(type, throwOnError: false) is { IsEnum: true } t)
                return Enum.GetNames(t);
        }

        return null;
    }

    /// <summary>Removes namespace-qualified .NET type names from framework text.</summary>
    private static string Scrub(string text) => TypeName().Replace(text, "a value");

    private static string Clip(string s) => s.Length <= 40 ? s : s[..(char.IsHighSurrogate(s[36]) ? 36 : 37)] + "...";

    [GeneratedRegex("""^Failed to bind parameter "(?<type>[^"]+) (?<name>[^" ]+)" from "(?<value>.*)"\.$""", RegexOptions.Singleline)]
    private static partial Regex BindFailed();

    [GeneratedRegex("""^Required parameter "(?<type>[^"]+) (?<name>[^" ]+)" was not provided from (?<source>\w+)""")]
    private static partial Regex Missing();

    [GeneratedRegex("""could not be converted to (?<type>\S+?)\.(?: Path:|$)""")]
    private static partial Regex Converted();

    [GeneratedRegex("""missing required properties,? including:? '(?<name>[^']+)'""")]
    private static partial Regex MissingProperties();

    [GeneratedRegex("""^System\.Nullable`1\[(?<inner>.+)\]$""")]
    private static partial Regex NullableOf();

    [GeneratedRegex("""\b(?:System|Microsoft|Gpunet)(?:\.[\w`+]+)+(?:\[[^\]]*\])?""")]
    private static partial Regex TypeName();
}
