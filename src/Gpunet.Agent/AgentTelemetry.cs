using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Gpunet.Agent;

/// <summary>The agent's traces: a lease's start, from the <c>StartLease</c> it received to its RUNNING report and its
/// workload's first output, as children of the coordinator's placement (the command's <c>traceparent</c>).</summary>
/// <remarks>Spans are made only while something listens to <see cref="SourceName"/>: with no exporter configured,
/// starting one costs a check and returns null.</remarks>
public static class AgentTelemetry
{
    /// <summary>The agent's <see cref="ActivitySource"/> name, for a tracer provider to listen to.</summary>
    public const string SourceName = "Gpunet.Agent";

    /// <summary>The standard variable naming an OTLP collector, read when no endpoint is given.</summary>
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    internal static readonly ActivitySource Source = new(SourceName);

    /// <summary>Exports the agent's spans by OTLP to <paramref name="endpoint"/>, or to the collector
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> names; null (nothing exported, nothing listening) when neither is set.
    /// Dispose it when the agent stops, to send what is buffered.</summary>
    public static TracerProvider? StartExport(Uri? endpoint, string serviceName = "gpunet-agent")
    {
        if (endpoint is null && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EndpointVariable)))
            return null;
        return Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(r => r.AddService(serviceName))
            .AddSource(SourceName)
            .AddOtlpExporter(o =>
            {
                // Otherwise the exporter reads the standard OTEL_EXPORTER_OTLP_* variables itself.
                if (endpoint is not null)
                {
                    o.Endpoint = endpoint;
                    o.Protocol = OtlpExportProtocol.Grpc;
                }
            })
            .Build();
    }

    /// <summary>The trace context a <c>StartLease</c> carries; default (a new trace) when it is empty or malformed.</summary>
    internal static ActivityContext ParentOf(string? traceparent) =>
        ActivityContext.TryParse(traceparent, null, isRemote: true, out var context) ? context : default;

    /// <summary>Starts the span of a lease's start on this host (ended at its RUNNING report or its failure).</summary>
    internal static Activity? StartLease(string leaseId, int attempt, string runtime, ActivityContext parent)
    {
        var span = Source.StartActivity("gpunet.agent.lease.start", ActivityKind.Consumer, parent);
        span?.SetTag("gpunet.lease.id", leaseId);
        span?.SetTag("gpunet.lease.attempt", attempt);
        span?.SetTag("gpunet.workload.runtime", runtime);
        return span;
    }

    /// <summary>The span of the runtime starting the workload's process or container (a child of the current one).</summary>
    internal static Activity? StartWorkload() => Source.StartActivity("gpunet.agent.workload.start");

    /// <summary>Ends the lease start's span: the RUNNING report is queued for the coordinator.</summary>
    internal static void Running(Activity? span)
    {
        span?.AddEvent(new ActivityEvent("RUNNING reported"));
        span?.Stop();
    }

    /// <summary>Ends the lease start's span as failed: the start could not happen (START_FAILED with <paramref name="reason"/>).</summary>
    internal static void Failed(Activity? span, string reason)
    {
        span?.SetStatus(ActivityStatusCode.Error, reason);
        span?.Stop();
    }

    /// <summary>Wraps <paramref name="send"/> so that the first batch of a workload's output is marked by a short span in
    /// the lease's trace (<paramref name="started"/>: the lease start's span, or default when not traced).</summary>
    internal static Action<T> MarkFirst<T>(ActivityContext started, Action<T> send)
    {
        if (started == default)
            return send;
        var first = 1;
        return item =>
        {
            if (Interlocked.Exchange(ref first, 0) == 1)
                Source.StartActivity("gpunet.agent.workload.first_output", ActivityKind.Internal, started)?.Stop();
            send(item);
        };
    }
}
