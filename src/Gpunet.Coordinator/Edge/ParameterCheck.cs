using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace Gpunet.Coordinator.Edge;

/// <summary>Checks the route and query values an endpoint parses (numbers, flags, times) before its handler runs, and
/// refuses one that does not parse with the framework's own <see cref="BadHttpRequestException"/>, which
/// <see cref="ClientErrorHandler"/> turns into a 400 naming the parameter.</summary>
/// <remarks>The endpoints' request delegates are made at build time by ASP.NET Core's source generator (the
/// coordinator starts in half the time and answers its first request without compiling one). That generator answers a
/// bare 400, naming nothing, for an optional value that does not parse (<c>?limit=abc</c>); the check here gives every
/// such request the same answer the reflection-built delegates gave. It runs after authorization: a caller without
/// permission learns nothing about the parameters.</remarks>
internal static class ParameterCheck
{
    private static readonly ConcurrentDictionary<Type, Func<string, bool>> Parsers = new();

    public static WebApplication UseParameterCheck(this WebApplication app)
    {
        // What each endpoint parses, worked out on its first request (the endpoints live as long as the app).
        var checks = new ConcurrentDictionary<Endpoint, Parsed[]>();
        app.Use((http, next) =>
        {
            if (http.GetEndpoint() is { } endpoint)
            {
                foreach (var p in checks.GetOrAdd(endpoint, Parsing))
                    Check(http, p);
            }

            return next(http);
        });
        return app;
    }

    /// <summary>A route or query value the endpoint parses: its name in the request and the type it parses to.</summary>
    private sealed record Parsed(string Name, Type Type);

    private static Parsed[] Parsing(Endpoint endpoint) =>
    [
        .. endpoint.Metadata.GetOrderedMetadata<IParameterBindingMetadata>()
            .Where(p => p.HasTryParse && !p.ParameterInfo.ParameterType.IsArray)
            .Select(p => (Parameter: p, Attributes: p.ParameterInfo.GetCustomAttributes(inherit: true)))
            .Where(p => !p.Attributes.OfType<IFromHeaderMetadata>().Any())
            .Select(p => new Parsed(
                p.Attributes.OfType<IFromQueryMetadata>().FirstOrDefault()?.Name
                    ?? p.Attributes.OfType<IFromRouteMetadata>().FirstOrDefault()?.Name ?? p.Parameter.Name,
                Nullable.GetUnderlyingType(p.Parameter.ParameterInfo.ParameterType) ?? p.Parameter.ParameterInfo.ParameterType)),
    ];

    private static void Check(HttpContext http, Parsed p)
    {
        var raw = http.Request.RouteValues.TryGetValue(p.Name, out var route) ? route?.ToString() : (string?)http.Request.Query[p.Name];
        if (string.IsNullOrEmpty(raw))
            return; // absent: the binder says whether it was required
        if (!Parsers.GetOrAdd(p.Type, Parser)(raw))
            throw new BadHttpRequestException(string.Create(CultureInfo.InvariantCulture,
                $"Failed to bind parameter \"{TypeName(p.Type)} {p.Name}\" from \"{raw}\"."));
    }

    /// <summary>The binder's own rule: an enum's <c>Enum.TryParse</c>, else the type's
    /// <c>TryParse(string, IFormatProvider, out T)</c> with the invariant culture, else <c>TryParse(string, out T)</c>.</summary>
    private static Func<string, bool> Parser(Type type)
    {
        if (type.IsEnum)
            return s => Enum.TryParse(type, s, out _);
        var withCulture = type.GetMethod("TryParse", BindingFlags.Public | BindingFlags.Static,
            [typeof(string), typeof(IFormatProvider), type.MakeByRefType()]);
        if (withCulture is not null)
            return s => (bool)withCulture.Invoke(null, [s, CultureInfo.InvariantCulture, null])!;
        var plain = type.GetMethod("TryParse", BindingFlags.Public | BindingFlags.Static, [typeof(string), type.MakeByRefType()]);
        return plain is null ? _ => true : s => (bool)plain.Invoke(null, [s, null])!;
    }

    private static string TypeName(Type type) => Type.GetTypeCode(type) switch
    {
        TypeCode.Int32 => "int",
        TypeCode.Int64 => "long",
        TypeCode.Int16 => "short",
        TypeCode.Byte => "byte",
        TypeCode.UInt32 => "uint",
        TypeCode.UInt64 => "ulong",
        TypeCode.UInt16 => "ushort",
        TypeCode.SByte => "sbyte",
        TypeCode.Boolean => "bool",
        TypeCode.Decimal => "decimal",
        TypeCode.Double => "double",
        TypeCode.Single => "float",
        _ => type.Name,
    };
}
