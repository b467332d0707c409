namespace Gpunet.Coordinator.Observability;

/// <summary>Where the coordinator exports its traces: configuration section <c>Coordinator:Telemetry</c>.</summary>
public sealed class TelemetryOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Coordinator:Telemetry";

    /// <summary>The standard variable naming an OTLP collector; honoured when <see cref="OtlpEndpoint"/> is not set.</summary>
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>An OTLP collector (gRPC, e.g. <c>http://collector:4317</c>) to export traces to. Default none: nothing is
    /// traced or exported unless <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> names one.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>Whether traces are exported: an endpoint here or in the standard variable.</summary>
    internal static bool Exports(IConfiguration configuration, out Uri? endpoint)
    {
        endpoint = configuration.GetSection(Section).Get<TelemetryOptions>()?.OtlpEndpoint;
        return endpoint is not null || !string.IsNullOrWhiteSpace(configuration[EndpointVariable]);
    }
}
