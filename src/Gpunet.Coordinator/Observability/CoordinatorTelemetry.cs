using System.Diagnostics;

namespace Gpunet.Coordinator.Observability;

/// <summary>The coordinator's spans of an order's way to its host: the placement attempt (the matcher), the placement's
/// commit in the store, and the <c>StartLease</c> dispatch whose <c>traceparent</c> the agent continues.</summary>
/// <remarks>One source for every coordinator of a process. Spans are made only while a tracer provider listens (see
/// <see cref="TelemetryModule"/>); otherwise each start is a check that returns null.</remarks>
internal static partial class CoordinatorTelemetry
{
    /// <summary>The coordinator's <see cref="ActivitySource"/> name.</summary>
    public const string SourceName = "Gpunet.Coordinator";

    public static readonly ActivitySource Source = new(SourceName, CoordinatorApp.Version);

    /// <summary>Starts the span of admitting an order: its checks, its escrow and its stored rows, in the ledger's
    /// transaction.</summary>
    public static Activity? StartAdmission() => Source.StartActivity("gpunet.order.admission");

    /// <summary>Starts the span of handing a stored order to the market: its wait for the market's loop, then its first
    /// placement attempt.</summary>
    public static Activity? StartSubmit() => Source.StartActivity("gpunet.order.submit");

    /// <summary>Starts the span of one placement attempt of an order and logs its trace id (only when traced).</summary>
    /// <param name="caller">The request the order came with, when it is placed as it is submitted: the span is its
    /// child (orders submitted together are placed together, on the market's loop).</param>
    public static Activity? StartPlacement(string orderId, Activity? caller, ILogger log)
    {
        var span = Under(caller, () => Source.StartActivity("gpunet.placement"));
        if (span is null)
            return null;
        span.SetTag("gpunet.order.id", orderId);
        LogTraced(log, orderId, span.TraceId.ToHexString());
        return span;
    }

    /// <summary>Ends a placement attempt's span with its outcome (<c>placed</c>, <c>notplaced</c>, <c>conflict</c>).</summary>
    public static void Placed(Activity? span, string outcome)
    {
        span?.SetTag("gpunet.placement.outcome", outcome);
        span?.Stop();
    }

    /// <summary>Starts the span of committing a placement's capacity in the store (one per lease of the order).</summary>
    /// <param name="placement">The placement attempt's span (orders placed together commit together, each its own span).</param>
    public static Activity? StartCommit(int leases, Activity? placement) =>
        Under(placement, () => Source.StartActivity("gpunet.placement.commit"))?.SetTag("gpunet.placement.leases", leases);

    /// <summary>Runs <paramref name="work"/> with <paramref name="parent"/> as the current span (when given): spans it
    /// starts are its children, and the current span is as it was afterwards.</summary>
    public static T Under<T>(Activity? parent, Func<T> work)
    {
        var current = Activity.Current;
        if (parent is not null)
            Activity.Current = parent;
        try
        {
            return work();
        }
        finally
        {
            Activity.Current = current;
        }
    }

    /// <summary>Ends a commit's span; a conflict (another coordinator changed a host first) is marked on it.</summary>
    public static void Committed(Activity? span, bool conflict)
    {
        if (conflict)
            span?.SetTag("gpunet.placement.conflict", true);
        span?.Stop();
    }

    /// <summary>Starts the span of sending a lease's <c>StartLease</c> to its host's agent.</summary>
    public static Activity? StartDispatch(string leaseId, string hostId, int attempt) =>
        Source.StartActivity("gpunet.lease.dispatch", ActivityKind.Producer)
            ?.SetTag("gpunet.lease.id", leaseId).SetTag("gpunet.host.id", hostId).SetTag("gpunet.lease.attempt", attempt);

    /// <summary>Starts the span of an agent's registration on its stream: from its hello to its <c>Registered</c> answer.</summary>
    public static Activity? StartRegistration() => Source.StartActivity("gpunet.agent.register");

    /// <summary>Starts the span of checking a registering agent's signature (the challenge's redemption).</summary>
    public static Activity? StartSignatureCheck() => Source.StartActivity("gpunet.agent.register.verify");

    /// <summary>Starts the span of admitting a registering agent's host: the one-container rules and the stored row.</summary>
    public static Activity? StartHostAdmission() => Source.StartActivity("gpunet.agent.register.store");

    /// <summary>The W3C <c>traceparent</c> of <paramref name="span"/> for the agent, or "" when it is not traced.</summary>
    public static string Traceparent(Activity? span) => span is { IdFormat: ActivityIdFormat.W3C, Id: { } id } ? id : "";

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "Order {OrderId}: placement traced as {TraceId}")]
    private static partial void LogTraced(ILogger logger, string orderId, string traceId);
}
