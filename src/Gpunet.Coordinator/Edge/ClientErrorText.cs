using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Gpunet.Coordinator.Edge;

/// <summary>What was wrong with a request the framework could not read, in the client's words: the field (a JSON path
/// or a parameter) and what it should hold, never the server's type names.</summary>
internal static partial class ClientErrorText
{
    /// <summary>The field at fault (null when the whole request is) and a sentence that starts with it.</summary>
    /// <param name="body">The endpoint's body type, to say what the field at a JSON path should hold.</param>
    public static (string? Field, string Detail) Describe(Exception e, Type? body)
    {
        if (e is JsonException json)
            return Json(json, body);
        if (e is not BadHttpRequestException bad)
            return (null, Scrub(e.Message));
        if (bad.InnerException is JsonException inner)
            return Json(inner, body);

        var message = bad.Message;
        if (BindFailed().Match(message) is { Success: true } m)
        {
            var name = m.Groups["name"].Value;
            return (name, $"{name}: '{Clip(m.Groups["value"].Value)}' is not {ExpectedNamed(m.Groups["type"].Value)}");
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

    private static (string? Field, string Detail) Json(JsonException e, Type? body)
    {
        var field = Field(e.Path);
        var sentence = Scrub(e.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd('.', ' '));
        // The reader's own exception marks a syntax error; it names the character and the position, not a type.
        if (e.InnerException?.GetType().Name == "JsonReaderException")
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
            return (field, $"{field}: not valid JSON: {sentence}{where}");
        }

        // The serializer's text names the .NET type it was filling (often the enclosing one); the body's own shape says
        // what the field holds.
        if (e.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            var target = body is null ? null : TypeAt(body, e.Path);
            return (field, $"{field}: the JSON value must be {(target is null ? "of another type" : Expected(target))}");
        }

        if (MissingProperties().Match(e.Message) is { Success: true } props)
        {
            var name = props.Groups["name"].Value;
            return (name, $"{name}: required");
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

    /// <summary>The type of the value at a JSON path (<c>$.a[0].b</c>) in a document of type <paramref name="root"/>.</summary>
    private static Type? TypeAt(Type root, string? path)
    {
        var type = root;
        foreach (Match step in PathStep().Matches(path ?? ""))
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (step.Groups["index"].Success)
            {
                type = ElementOf(type);
            }
            else
            {
                var name = step.Groups["name"].Success ? step.Groups["name"].Value : step.Groups["quoted"].Value;
                type = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.PropertyType
                    ?? (typeof(IDictionary).IsAssignableFrom(type) || type.GetInterfaces().Any(IsDictionary) ? DictionaryValueOf(type) : null);
            }

            if (type is null)
                return null;
        }

        return Nullable.GetUnderlyingType(type) ?? type;
    }

    private static bool IsDictionary(Type t) =>
        t.IsGenericType && t.GetGenericTypeDefinition() is var d && (d == typeof(IDictionary<,>) || d == typeof(IReadOnlyDictionary<,>));

    private static Type? DictionaryValueOf(Type t) =>
        (IsDictionary(t) ? t : t.GetInterfaces().FirstOrDefault(IsDictionary))?.GetGenericArguments()[1];

    private static Type? ElementOf(Type t) =>
        t.IsArray ? t.GetElementType()
        : (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IEnumerable<>) ? t : t.GetInterfaces()
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)))?.GetGenericArguments()[0];

    /// <summary>What a value of <paramref name="t"/> looks like in JSON.</summary>
    private static string Expected(Type t)
    {
        if (t.IsEnum)
            return $"one of {string.Join(", ", Enum.GetNames(t))}";
        return Type.GetTypeCode(t) switch
        {
            TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32
                or TypeCode.Int64 or TypeCode.UInt64 => "a whole number in range",
            TypeCode.Single or TypeCode.Double or TypeCode.Decimal => "a number",
            TypeCode.Boolean => "true or false",
            TypeCode.String or TypeCode.Char => "a string",
            TypeCode.DateTime => "a date and time (ISO 8601, e.g. 2025-01-31T12:00:00Z)",
            _ when t == typeof(DateTimeOffset) => "a date and time (ISO 8601, e.g. 2025-01-31T12:00:00Z)",
            _ when t == typeof(Guid) => "a UUID",
            _ when t == typeof(TimeSpan) => "a duration (e.g. 01:30:00)",
            _ when typeof(IDictionary).IsAssignableFrom(t) || IsDictionary(t) || t.GetInterfaces().Any(IsDictionary) => "a JSON object",
            _ when typeof(IEnumerable).IsAssignableFrom(t) => "a JSON array",
            _ => "a JSON object",
        };
    }

    /// <summary>What a query or route value of a type (as the framework names it: <c>int</c>, <c>Nullable&lt;int&gt;</c>)
    /// looks like.</summary>
    private static string ExpectedNamed(string type)
    {
        type = NullableName().Replace(type.Trim(), "${inner}").TrimEnd('?');
        return type switch
        {
            "int" or "long" or "short" or "byte" or "uint" or "ulong" or "ushort" or "sbyte" => "a whole number in range",
            "decimal" or "double" or "float" => "a number",
            "bool" => "true or false",
            "Guid" => "a UUID",
            "DateTimeOffset" or "DateTime" => "a date and time (ISO 8601, e.g. 2025-01-31T12:00:00Z)",
            "TimeSpan" => "a duration (e.g. 01:30:00)",
            _ => "a value of the documented type",
        };
    }

    /// <summary>Removes namespace-qualified .NET type names from framework text.</summary>
    private static string Scrub(string text) => TypeName().Replace(text, "a value");

    private static string Clip(string s) => s.Length <= 40 ? s : s[..(char.IsHighSurrogate(s[36]) ? 36 : 37)] + "...";

    [GeneratedRegex("""^Failed to bind parameter "(?<type>[^"]+) (?<name>[^" ]+)" from "(?<value>.*)"\.$""", RegexOptions.Singleline)]
    private static partial Regex BindFailed();

    [GeneratedRegex("""^Required parameter "(?<type>[^"]+) (?<name>[^" ]+)" was not provided from (?<source>\w+)""")]
    private static partial Regex Missing();

    [GeneratedRegex("""missing required properties,? including:? '(?<name>[^']+)'""")]
    private static partial Regex MissingProperties();

    [GeneratedRegex("""^(?:System\.)?Nullable(?:<|`1\[)(?<inner>.+)(?:>|\])$""")]
    private static partial Regex NullableName();

    [GeneratedRegex("""\.(?<name>[^.\[]+)|\[(?<index>\d+)\]|\['(?<quoted>(?:[^']|'')*)'\]""")]
    private static partial Regex PathStep();

    [GeneratedRegex("""\b(?:System|Microsoft|Gpunet)(?:\.[\w`+]+)+(?:\[[^\]]*\])?""")]
    private static partial Regex TypeName();
}
