using System.Diagnostics;
using Gpunet.Agent;
using Gpunet.Agent.Workloads;
using Gpunet.IntegrationTests.Support;
using Gpunet.Protocol;
using Microsoft.Extensions.Logging.Abstractions;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Phase = Gpunet.Protocol.LeaseReport.Types.Phase;

namespace Gpunet.IntegrationTests.Agent.Workloads;

/// <summary>The agent's part of an order's trace: its spans for a lease's start continue the traceparent the
/// coordinator sent in StartLease.</summary>
public sealed class LeaseStartTraceTests
{
    [SandboxFact]
    public async Task Start_WithATraceparent_ReceiptWorkloadStartAndFirstOutput_AreSpansOfThatTrace()
    {
        var spans = new ExportedSpans();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(AgentTelemetry.SourceName).AddInMemoryExporter(spans).Build();
        var placement = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        await using var supervisor = new LeaseSupervisor(ProcessProbe.Root(), TimeProvider.System, NullLogger.Instance);
        var start = new StartLease { LeaseId = "lease-traced", Runtime = "process", Traceparent = $"00-{placement.TraceId}-{placement.SpanId}-01" };
        start.Command.Add(["echo", "hello"]);

        supervisor.Start(start);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await supervisor.Outbox.ReadAsync(deadline.Token)).LeaseReport is not { Phase: Phase.Exited })
        {
        }

        var trace = await Eventually.Async(() => Task.FromResult<List<Activity>?>(spans.Of(placement.TraceId)),
            s => s.Count == 3, "the lease start's three spans");
        var received = Assert.Single(trace, a => a.OperationName == "gpunet.agent.lease.start");
        Assert.Equal(placement.SpanId, received.ParentSpanId);
        Assert.Equal("lease-traced", received.GetTagItem("gpunet.lease.id"));
        Assert.Contains(received.Events, e => e.Name == "RUNNING reported");
        Assert.Equal(received.SpanId, Assert.Single(trace, a => a.OperationName == "gpunet.agent.workload.start").ParentSpanId);
        Assert.Equal(received.SpanId, Assert.Single(trace, a => a.OperationName == "gpunet.agent.workload.first_output").ParentSpanId);
    }
}
