using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Gpunet.Coordinator.Modules;
using Microsoft.Net.Http.Headers;

namespace Gpunet.Coordinator.Edge;

/// <summary>What every request meets first: Kestrel's limits, forwarded headers from trusted proxies only, the
/// listener separation of people and agents, clean 4xx for what the framework cannot read.</summary>
internal static class EdgeModule
{
    public static WebApplicationBuilder AddEdge(this WebApplicationBuilder builder, CoordinatorOptions settings)
    {
        var services = builder.Services;
        services.AddModuleOptions<EdgeOptions>();
        var edge = settings.Edge;
        // A bad --trusted-proxy stops the start with its value named, before anything listens.
        var trustedProxies = TrustedProxies.Parse(edge.TrustedProxies);
        builder.WebHost.ConfigureKestrel(k =>
        {
            // "Server: Kestrel" tells a scanner what to try; nobody else needs it.
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = edge.MaxRequestBodyBytes;
            // Kestrel's default of 100 streams per connection stalls agents multiplexed over few connections.
            k.Limits.Http2.MaxStreamsPerConnection = edge.MaxStreamsPerConnection;
            k.Limits.Http2.InitialConnectionWindowSize = 4 * 1024 * 1024;
            k.Limits.Http2.InitialStreamWindowSize = 256 * 1024;
            k.Limits.Http2.KeepAlivePingDelay = TimeSpan.FromSeconds(30);
            k.Limits.Http2.KeepAlivePingTimeout = TimeSpan.FromSeconds(20);
        });
        services.AddCors(c => c.AddDefaultPolicy(p => p
            .WithOrigins([.. edge.CorsOrigins.Select(o => o.TrimEnd('/'))])
            .WithMethods("GET", "POST", "PUT", "DELETE")
            .WithHeaders("Authorization", "Content-Type", "Last-Event-ID")
            .WithExposedHeaders(Auth.RateLimitHeaders.PolicyField, Auth.RateLimitHeaders.Field, "Retry-After")
            .SetPreflightMaxAge(TimeSpan.FromHours(1))));
        services.AddProblemDetails(p => p.CustomizeProblemDetails = StatedLengths.Apply);
        // Requests the framework cannot read: a 4xx naming the field, logged at Information, no .NET type names.
        services.AddExceptionHandler<ClientErrorHandler>();
        services.Configure<ForwardedHeadersOptions>(trustedProxies.Apply);
        services.ConfigureHttpJsonOptions(j =>
        {
            j.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            j.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
            // Answers no longer than their shapes (and so the OpenAPI document) say.
            j.SerializerOptions.TypeInfoResolver = (j.SerializerOptions.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver())
                .WithAddedModifier(StatedLengths.Apply);
        });
        services.Configure<RouteHandlerOptions>(r => r.ThrowOnBadRequest = true);
        return builder;
    }

    /// <summary>The edge's middleware, before metrics, limits and authentication.</summary>
    public static WebApplication UseEdge(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseResponseHardening();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseListenerSeparation();
        // Browsers' cross-origin requests from the configured origins only (none by default); a preflight is answered here.
        app.UseCors();
        return app;
    }

    /// <summary>Every answer to people (not the agents' gRPC) says its content type is to be believed, and the API's
    /// answers are never stored by a browser or proxy cache: they carry balances, leases and tokens for one caller.
    /// An endpoint that sets its own <c>Cache-Control</c> (the console's files, event streams) keeps it. The API's
    /// answers are data, never a page: a browser that is made to open one as a document runs nothing in it, loads
    /// nothing for it, and never shows it in a frame (OWASP's REST security headers); no other page is framed either.</summary>
    /// <remarks>Set as the answer starts, not before the request goes on: the exception handler clears the headers of an
    /// answer it takes over (a body that cannot be read, a fault), and that answer needs them as much as any.</remarks>
    private static WebApplication UseResponseHardening(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
                return next(context);
            context.Response.OnStarting(static state => Harden((HttpContext)state), context);
            return next(context);
        });
        return app;
    }

    private static Task Harden(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        // No page of this origin (the console, the API reference) is shown in another site's frame, tells the sites it
        // links to where the reader came from, or may use the camera, microphone, location or payments.
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            headers.TryAdd(HeaderNames.CacheControl, "no-store");
            headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
            headers["Cross-Origin-Resource-Policy"] = "same-origin";
        }
        else
        {
            // A page sets its own policy (the console's); the reference page keeps its scripts, but no frame.
            headers.TryAdd(HeaderNames.ContentSecurityPolicy, "frame-ancestors 'none'");
        }

        return Task.CompletedTask;
    }
}
