using Gpunet.Core.Hosts;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Gpunet.Checker.Link;

/// <summary>When the checker tries its coordinator again: after a transient failure (unreachable, a stream that ended,
/// a timeout) with the agents' jittered exponential backoff (<see cref="ReconnectBackoff"/>), and after a refusal for
/// want of a licence at the slow <see cref="CheckerOptions.LicenceRetryDelay"/>, since the operator may grant one
/// later. Anything else (a bad signature, a protocol error) stops the checker.</summary>
internal static partial class CheckerReconnectPipeline
{
    public static ResiliencePipeline Build(CheckerOptions options, ICheckerObserver observer, TimeProvider time, ILogger log)
    {
        var retry = new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<RpcException>(e => IsTransient(e) || IsUnlicensed(e))
                .Handle<IOException>().Handle<HttpRequestException>(),
            Delay = TimeSpan.FromMilliseconds(250),
            MaxRetryAttempts = int.MaxValue,
            OnRetry = a =>
            {
                if (a.Outcome.Exception is RpcException e && IsUnlicensed(e))
                {
                    LogNotLicensed(log, a.RetryDelay.TotalSeconds, e.Status.Detail);
                    observer.NotLicensed(e.Status.Detail, a.RetryDelay);
                }
                else
                {
                    LogReconnecting(log, a.RetryDelay.TotalSeconds, a.Outcome.Exception?.Message ?? "stream ended");
                }

                return default;
            },
        };
        // Polly's own thread-safe random source jitters it.
        var random = retry.Randomizer;
        retry.DelayGenerator = a => ValueTask.FromResult<TimeSpan?>(a.Outcome.Exception is RpcException e && IsUnlicensed(e)
            ? options.LicenceRetryDelay
            : ReconnectBackoff.Delay(a.AttemptNumber, retry.Delay, options.MaxReconnectDelay, null, random()));
        return new ResiliencePipelineBuilder { TimeProvider = time }.AddRetry(retry).Build();
    }

    private static bool IsUnlicensed(RpcException e) => e.StatusCode == StatusCode.PermissionDenied;

    private static bool IsTransient(RpcException e) => e.StatusCode is StatusCode.Unavailable or StatusCode.Unknown
        or StatusCode.Internal or StatusCode.DeadlineExceeded or StatusCode.Cancelled or StatusCode.ResourceExhausted or StatusCode.Aborted;

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "Coordinator unreachable, retrying in {Seconds:0.0} s: {Reason}")]
    private static partial void LogReconnecting(ILogger logger, double seconds, string reason);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Not admitted (no checker licence?), asking again in {Seconds:0} s: {Reason}")]
    private static partial void LogNotLicensed(ILogger logger, double seconds, string reason);
}
