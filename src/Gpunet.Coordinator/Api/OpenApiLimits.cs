using System.Globalization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Gpunet.Coordinator;

/// <summary>States in the OpenAPI document how long a string and how many items an array can be, and how large an
/// integer, wherever a field's own rule does not already: only bounds the coordinator holds to (OWASP API4, resource
/// consumption).</summary>
/// <remarks>What bounds a value, in order: an anchored pattern (a host id is 17 characters, an address 42), a date-time
/// (System.Text.Json reads at most 42 characters of one), an integer's type (int32, int64); then, for what a client
/// sends, the limit on the part of the request it travels in: the request line for route and query values (Kestrel's
/// <c>MaxRequestLineSize</c>), the header block for a header, and the body limit of the operation for a body's fields
/// (a JSON string of n characters takes at least n bytes, an array of n items at least 2n − 1). Text only answers carry
/// (a reason, a log line) is bounded by its shape's <c>[MaxLength]</c> (<see cref="TextLimits"/>), which the JSON writer
/// holds answers to (<see cref="Edge.StatedLengths"/>).</remarks>
internal static partial class OpenApiLimits
{
    // The longest date-time System.Text.Json parses: 'O' format with up to 16 fraction digits (JsonConstants).
    private const int LongestDateTime = 42;

    /// <summary>The sizes that bound what a client sends.</summary>
    /// <param name="RequestLine">Longest request line (method, path and query).</param>
    /// <param name="Headers">Largest header block.</param>
    /// <param name="Body">The body limit of an operation, by method and path as the document names it.</param>
    internal sealed record Transport(long RequestLine, long Headers, Func<string, string, long> Body);

    /// <summary>The transport limits of the running coordinator.</summary>
    public static Transport Of(OpenApiDocumentTransformerContext context)
    {
        var kestrel = context.ApplicationServices.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;
        var byOperation = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        foreach (var description in context.DescriptionGroups.SelectMany(g => g.Items))
        {
            if (description.ActionDescriptor.EndpointMetadata.OfType<IRequestSizeLimitMetadata>().LastOrDefault()?.MaxRequestBodySize is { } own)
                byOperation[Key(description.HttpMethod ?? "", "/" + WithoutConstraints(description.RelativePath ?? ""))] = own;
        }

        var body = kestrel.MaxRequestBodySize ?? long.MaxValue;
        return new Transport(kestrel.MaxRequestLineSize, kestrel.MaxRequestHeadersTotalSize,
            (method, path) => byOperation.GetValueOrDefault(Key(method, path), body));
    }

    /// <summary>Adds the bounds (see the type's remarks) to <paramref name="doc"/>.</summary>
    public static void Apply(OpenApiDocument doc, Transport transport)
    {
        var seen = new HashSet<IOpenApiSchema>(ReferenceEqualityComparer.Instance);
        foreach (var schema in doc.Components?.Schemas?.Values ?? [])
            Visit(schema, seen, Intrinsic);
        foreach (var header in doc.Components?.Headers?.Values.OfType<OpenApiHeader>() ?? [])
            Visit(header.Schema, seen, Intrinsic);

        var bodies = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (path, item) in doc.Paths)
        {
            foreach (var (method, operation) in item.Operations ?? [])
            {
                foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
                {
                    var carrier = parameter.In == ParameterLocation.Header ? transport.Headers : transport.RequestLine;
                    Visit(parameter.Schema, seen, s => Within(s, carrier));
                }

                foreach (var response in operation.Responses?.Values.AsEnumerable() ?? [])
                {
                    foreach (var media in response.Content?.Values ?? [])
                        Visit(media.Schema, seen, Intrinsic);
                }

                var limit = transport.Body(method.ToString(), path);
                foreach (var media in operation.RequestBody?.Content?.Values ?? [])
                {
                    Visit(media.Schema, seen: null, s => Within(s, limit));
                    foreach (var id in Referenced(media.Schema, doc))
                        bodies[id] = Math.Max(bodies.GetValueOrDefault(id), limit);
                }
            }
        }

        foreach (var (id, limit) in bodies)
            Visit(doc.Components!.Schemas![id], seen: null, s => Within(s, limit));
    }

    /// <summary>The longest string <paramref name="pattern"/> matches, or null when it has no bound (an unanchored
    /// pattern, <c>*</c>, <c>+</c>, <c>{n,}</c>) or uses what this reading does not know (a back-reference, a look-around).</summary>
    /// <remarks>Reads literals, escapes, <c>.</c>, character classes, groups with alternatives, and the quantifiers
    /// <c>?</c>, <c>{n}</c> and <c>{n,m}</c>: the forms the API's patterns use (<see cref="ApiPatterns"/>).</remarks>
    public static int? LongestMatch(string pattern)
    {
        if (pattern.Length < 2 || pattern[0] != '^' || pattern[^1] != '$' || pattern.EndsWith("\\$", StringComparison.Ordinal))
            return null;
        var reader = new PatternReader(pattern[1..^1]);
        var longest = reader.Sequence();
        // ^a|b$ is (^a)|(b$): neither alternative is anchored at both ends.
        return reader.AtEnd ? longest : null;
    }

    // What a schema's own type, pattern or format bounds, wherever it is.
    private static void Intrinsic(OpenApiSchema schema)
    {
        if (Is(schema, JsonSchemaType.String) && Unbounded(schema))
        {
            if (schema.Pattern is { } pattern && LongestMatch(pattern) is { } longest)
                schema.MaxLength = longest;
            else if (schema.Format == "date-time")
                schema.MaxLength = LongestDateTime;
            else if (schema.Format == "date")
                schema.MaxLength = 10; // DateOnly: yyyy-MM-dd
        }

        if (Is(schema, JsonSchemaType.Integer) && schema.Format is "int32" or "int64")
        {
            var (min, max) = schema.Format == "int32" ? ((long)int.MinValue, (long)int.MaxValue) : (long.MinValue, long.MaxValue);
            if (schema.Minimum is null && schema.ExclusiveMinimum is null)
                schema.Minimum = min.ToString(CultureInfo.InvariantCulture);
            if (schema.Maximum is null && schema.ExclusiveMaximum is null)
                schema.Maximum = max.ToString(CultureInfo.InvariantCulture);
        }
    }

    // What the part of the request a value travels in bounds: after its own bounds.
    private static void Within(OpenApiSchema schema, long carrier)
    {
        Intrinsic(schema);
        var most = (int)Math.Min(carrier, int.MaxValue);
        if (Is(schema, JsonSchemaType.String) && Unbounded(schema))
            schema.MaxLength = most;
        if (Is(schema, JsonSchemaType.Array) && schema.MaxItems is null)
            schema.MaxItems = Math.Max(1, (most - 1) / 2);
    }

    private static bool Is(OpenApiSchema schema, JsonSchemaType type) => schema.Type is { } t && (t & type) != 0;

    private static bool Unbounded(OpenApiSchema schema) => schema.MaxLength is null && schema.Enum is not { Count: > 0 } && schema.Const is null;

    // Every schema object within this one (not following references), each once where seen is given.
    private static void Visit(IOpenApiSchema? schema, HashSet<IOpenApiSchema>? seen, Action<OpenApiSchema> apply)
    {
        if (schema is not OpenApiSchema s || (seen is not null && !seen.Add(s)))
            return;
        apply(s);
        foreach (var child in Children(s))
            Visit(child, seen, apply);
    }

    private static IEnumerable<IOpenApiSchema> Children(IOpenApiSchema s) =>
        (s.Properties?.Values ?? []).Concat(s.AllOf ?? []).Concat(s.AnyOf ?? []).Concat(s.OneOf ?? [])
            .Append(s.Items).Append(s.AdditionalProperties).Append(s.Not).OfType<IOpenApiSchema>();

    // The component schemas a body's schema reaches, through references.
    private static HashSet<string> Referenced(IOpenApiSchema? root, OpenApiDocument doc)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<IOpenApiSchema>();
        if (root is not null)
            pending.Push(root);
        while (pending.TryPop(out var schema))
        {
            if (schema is OpenApiSchemaReference { Reference.Id: { } id })
            {
                if (ids.Add(id) && doc.Components?.Schemas?.TryGetValue(id, out var target) == true)
                    pending.Push(target);
                continue;
            }

            foreach (var child in Children(schema))
                pending.Push(child);
        }

        return ids;
    }

    private static string Key(string method, string path) => method.ToUpperInvariant() + " " + path;

    // api/v1/hosts/{id:minlength(1)} as the document names it: api/v1/hosts/{id}.
    private static string WithoutConstraints(string path) => RouteConstraint().Replace(path, "{$1}");

    [System.Text.RegularExpressions.GeneratedRegex(@"\{\*{0,2}([A-Za-z0-9_]+)[:=?][^}]*\}")]
    private static partial System.Text.RegularExpressions.Regex RouteConstraint();

    private sealed partial class PatternReader(string pattern)
    {
        private int _at;

        public bool AtEnd => _at == pattern.Length;

        // alternative ('|' alternative)*: the longest of them.
        public int? Alternatives()
        {
            int? longest = Sequence();
            while (_at < pattern.Length && pattern[_at] == '|')
            {
                _at++;
                longest = Max(longest, Sequence());
            }

            return longest;
        }

        public int? Sequence()
        {
            int? length = 0;
            while (_at < pattern.Length && pattern[_at] is not ('|' or ')'))
                length = Add(length, Quantified(Atom()));
            return length;
        }

        private int? Atom()
        {
            var c = pattern[_at++];
            switch (c)
            {
                case '(':
                    if (_at < pattern.Length && pattern[_at] == '?')
                    {
                        if (_at + 1 >= pattern.Length || pattern[_at + 1] != ':')
                            return Unknown(); // look-around, named group: not read here
                        _at += 2;
                    }

                    var inner = Alternatives();
                    if (_at >= pattern.Length || pattern[_at] != ')')
                        return Unknown();
                    _at++;
                    return inner;
                case '[':
                    if (_at < pattern.Length && pattern[_at] == '^')
                        _at++;
                    if (_at < pattern.Length && pattern[_at] == ']')
                        _at++;
                    while (_at < pattern.Length && pattern[_at] != ']')
                        _at += pattern[_at] == '\\' ? 2 : 1;
                    if (_at >= pattern.Length)
                        return Unknown();
                    _at++;
                    return 1;
                case '\\':
                    if (_at >= pattern.Length || char.IsAsciiDigit(pattern[_at]) || pattern[_at] is 'b' or 'B' or 'k')
                        return Unknown(); // back-reference or a boundary
                    _at++;
                    return 1;
                case '^' or '$' or '*' or '+' or '?' or '{':
                    return Unknown();
                default:
                    return 1;
            }
        }

        private int? Quantified(int? atom)
        {
            if (_at >= pattern.Length)
                return atom;
            switch (pattern[_at])
            {
                case '?':
                    _at++;
                    return atom;
                case '*' or '+':
                    _at++;
                    return null;
                case '{':
                    var close = pattern.IndexOf('}', _at);
                    if (close < 0)
                        return Unknown();
                    var inside = pattern[(_at + 1)..close];
                    if (!Quantifier().IsMatch(inside))
                        return Unknown(); // {,5} or {a}: braces .NET reads as literal text
                    var bounds = inside.Split(',');
                    _at = close + 1;
                    var most = bounds.Length == 1 ? bounds[0] : bounds[1];
                    return most.Length == 0 ? null
                        : int.TryParse(most, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? Multiply(atom, n) : Unknown();
                default:
                    return atom;
            }
        }

        [System.Text.RegularExpressions.GeneratedRegex(@"^[0-9]+(,[0-9]*)?$")]
        private static partial System.Text.RegularExpressions.Regex Quantifier();

        // Stops the reading: a form this reader does not know bounds nothing.
        private int? Unknown()
        {
            _at = pattern.Length + 1;
            return null;
        }

        private static int? Max(int? a, int? b) => a is null || b is null ? null : Math.Max(a.Value, b.Value);

        private static int? Add(int? a, int? b) => a is null || b is null ? null : a.Value + b.Value;

        private static int? Multiply(int? a, int n) => a is null ? null : a.Value * n;
    }
}
