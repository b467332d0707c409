using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Gpunet.Coordinator.Observability;

/// <summary>Traces, exported by OTLP only when configured (<see cref="TelemetryOptions"/>): the API's requests, the
/// coordinator's own spans (<see cref="CoordinatorTelemetry"/>), outgoing HTTP calls and PostgreSQL commands.</summary>
/// <remarks>Unconfigured, no tracer provider is registered: nothing listens to the sources, so no span is made.</remarks>
internal static class TelemetryModule
{
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        if (!TelemetryOptions.Exports(builder.Configuration, out var endpoint))
            return builder;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("gpunet-coordinator", serviceVersion: CoordinatorApp.Version))
            .WithTracing(t => Instrument(t).AddOtlpExporter(o =>
            {
                // Without it the exporter reads the standard OTEL_EXPORTER_OTLP_* variables (protocol, headers) itself.
                if (endpoint is not null)
                {
                    o.Endpoint = endpoint;
                    o.Protocol = OtlpExportProtocol.Grpc;
                }
            }));
        return builder;
    }

    /// <summary>What the coordinator traces, for any exporter: the tests add an in-memory one.</summary>
    internal static TracerProviderBuilder Instrument(TracerProviderBuilder tracing) => tracing
        .AddSource(CoordinatorTelemetry.SourceName)
        .AddAspNetCoreInstrumentation(o => o.Filter = Traced)
        .AddHttpClientInstrumentation()
        .AddNpgsql();

    // An agent's or checker's stream is one gRPC call for hours (its own span would never end in time to be useful);
    // scrapes and health probes every few seconds would drown the orders.
    private static bool Traced(HttpContext http) =>
        !(http.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) ?? false)
        && !http.Request.Path.StartsWithSegments("/metrics", StringComparison.Ordinal)
        && !http.Request.Path.StartsWithSegments("/healthz", StringComparison.Ordinal);
}
