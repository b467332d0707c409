using Grpc.Core;

namespace Gpunet.Coordinator.Concurrency;

/// <summary>Reading a stream's handshake: the next message must be of the expected kind, within the handshake's time.</summary>
internal static class StreamHandshake
{
    /// <summary>The next message, which must be <paramref name="expected"/> (as <paramref name="caseOf"/> tells);
    /// otherwise the call fails with a status that says what came instead, or that nothing did in time.</summary>
    public static async Task<TMessage> ReadExpectedAsync<TMessage, TCase>(IAsyncStreamReader<TMessage> stream, Func<TMessage, TCase> caseOf,
        TCase expected, TimeSpan timeout, CancellationToken ct) where TCase : struct, Enum
    {
        bool got;
        try
        {
            got = await stream.MoveNext(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, $"no {expected} within {timeout.TotalSeconds:0} s"));
        }

        if (!got)
            throw new RpcException(new Status(StatusCode.Cancelled, $"stream closed before {expected}"));
        var actual = caseOf(stream.Current);
        if (!EqualityComparer<TCase>.Default.Equals(actual, expected))
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"expected {expected}, got {actual}"));
        return stream.Current;
    }
}
