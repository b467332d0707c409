using Gpunet.Core.Hosts;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Gpunet.Agent.Link;

/// <summary>When the agent tries its coordinator again: on every transient failure (unreachable, a stream that ended,
/// a timeout), forever, after a delay that grows exponentially with jitter and is never longer than the heartbeat interval
/// the coordinator last gave (<see cref="ReconnectBackoff"/>): a restarted coordinator marks a host Suspect after a few
/// silent intervals.</summary>
internal static partial class ReconnectPipeline
{
    /// <param name="heartbeatInterval">The interval the coordinator gave at the latest registration; null before one.</param>
    public static ResiliencePipeline Build(TimeSpan maxDelay, Func<TimeSpan?> heartbeatInterval, TimeProvider time, ILogger log)
    {
        var retry = new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<RpcException>(IsTransient).Handle<IOException>().Handle<HttpRequestException>(),
            Delay = TimeSpan.FromMilliseconds(250),
            MaxRetryAttempts = int.MaxValue,
            OnRetry = a =>
            {
                LogReconnecting(log, a.RetryDelay.TotalSeconds, a.Outcome.Exception?.Message ?? "stream ended");
                return default;
            },
        };
        // Polly's own thread-safe random source jitters it.
        var random = retry.Randomizer;
        retry.DelayGenerator = a => ValueTask.FromResult<TimeSpan?>(ReconnectBackoff.Delay(a.AttemptNumber, retry.Delay, maxDelay, heartbeatInterval(), random()));
        return new ResiliencePipelineBuilder { TimeProvider = time }.AddRetry(retry).Build();
    }

    private static bool IsTransient(RpcException e) => e.StatusCode is StatusCode.Unavailable or StatusCode.Unknown
        or StatusCode.Internal or StatusCode.DeadlineExceeded or StatusCode.Cancelled or StatusCode.ResourceExhausted or StatusCode.Aborted;

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Coordinator unreachable, retrying in {Seconds:0.0} s: {Reason}")]
    private static partial void LogReconnecting(ILogger logger, double seconds, string reason);
}
