using System.Diagnostics;
using Gpunet.Coordinator.Observability;
using Gpunet.IntegrationTests.Services;
using Gpunet.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Gpunet.IntegrationTests.Observability;

/// <summary>An order's trace, as an operator's collector would get it: the API request, the matcher's placement, the
/// store's commit and the StartLease dispatch in one trace, which the agent continues; and nothing traced unless an
/// exporter is configured.</summary>
public sealed class OrderTraceTests
{
    [Fact]
    public async Task AnOrderPlacedAtOnce_IsOneTrace_FromItsRequestThroughPlacementAndCommit_ToTheStartLeaseTheAgentGets()
    {
        var spans = new ExportedSpans();
        // What the coordinator traces when configured, with an in-memory exporter in place of OTLP.
        using var tracing = TelemetryModule.Instrument(Sdk.CreateTracerProviderBuilder()).AddInMemoryExporter(spans).Build();
        await using var c = await ServiceCoordinator.StartAsync();
        await using var host = await c.ReadyHostAsync("traced");

        var (_, leaseId, lease, _) = await c.RunOnAsync(host, ServiceCoordinator.OneGpuOn(host.HostId));

        Assert.True(ActivityContext.TryParse(lease.Traceparent, null, out var sent), $"StartLease carries no W3C traceparent: '{lease.Traceparent}'");
        var trace = await Eventually.Async(() => Task.FromResult<List<Activity>?>(spans.Of(sent.TraceId)),
            s => s.Any(a => a.Kind == ActivityKind.Server), "the order request's span");
        var request = Assert.Single(trace, a => a.Kind == ActivityKind.Server);
        Assert.Equal("POST", request.GetTagItem("http.request.method"));
        // The order is admitted (checks, escrow, stored) and then handed to the market, which places it.
        var admission = Assert.Single(trace, a => a.OperationName == "gpunet.order.admission");
        Assert.Equal(request.SpanId, admission.ParentSpanId);
        var submit = Assert.Single(trace, a => a.OperationName == "gpunet.order.submit");
        Assert.Equal(request.SpanId, submit.ParentSpanId);
        var placement = Assert.Single(trace, a => a.OperationName == "gpunet.placement");
        Assert.Equal(submit.SpanId, placement.ParentSpanId);
        Assert.Equal("placed", placement.GetTagItem("gpunet.placement.outcome"));
        var commit = Assert.Single(trace, a => a.OperationName == "gpunet.placement.commit");
        Assert.Equal(placement.SpanId, commit.ParentSpanId);
        var dispatch = Assert.Single(trace, a => a.OperationName == "gpunet.lease.dispatch");
        Assert.Equal(placement.SpanId, dispatch.ParentSpanId);
        Assert.Equal((leaseId, host.HostId), (dispatch.GetTagItem("gpunet.lease.id"), dispatch.GetTagItem("gpunet.host.id")));
        // The agent's spans become children of the dispatch.
        Assert.Equal(dispatch.SpanId, sent.SpanId);
    }

    [Fact]
    public async Task NoExporterConfigured_NoTracerProvider_WhileAnOtlpEndpointRegistersOne()
    {
        await using var plain = await TestCoordinator.StartAsync();
        Assert.Null(plain.App.Services.GetService<TracerProvider>());

        await using var exporting = await TestCoordinator.StartAsync(settings: new Dictionary<string, string?>
        {
            [$"{TelemetryOptions.Section}:OtlpEndpoint"] = "http://127.0.0.1:4317",
        });
        Assert.NotNull(exporting.App.Services.GetService<TracerProvider>());
    }
}
