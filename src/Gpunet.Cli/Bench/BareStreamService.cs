using Gpunet.Protocol;
using Gpunet.Protocol.Bench;
using Grpc.Core;

namespace Gpunet.Cli.Bench;

/// <summary>The bare-gRPC ceiling: reads heartbeats, counts them, answers requested acks, nothing else.</summary>
internal sealed class BareStreamService(BareCounter counter) : BareStream.BareStreamBase
{
    public override async Task Stream(IAsyncStreamReader<AgentMessage> requestStream, IServerStreamWriter<CoordinatorMessage> responseStream, ServerCallContext context)
    {
        try
        {
            while (await requestStream.MoveNext(context.CancellationToken))
            {
                counter.Increment();
                var hb = requestStream.Current.Heartbeat;
                if (hb is { AckRequested: true })
                    await responseStream.WriteAsync(new CoordinatorMessage { HeartbeatAck = new HeartbeatAck { Sequence = hb.Sequence } });
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Messages the bare service received.</summary>
internal sealed class BareCounter
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Increment() => Interlocked.Increment(ref _count);
}
