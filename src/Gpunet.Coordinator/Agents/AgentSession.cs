using System.Threading.Channels;
using Gpunet.Protocol;
using Grpc.Core;

namespace Gpunet.Coordinator.Agents;

/// <summary>One connected agent stream. Messages to the agent wait in a bounded queue that one writer drains, so no
/// caller ever awaits the network; an agent that stops reading fills its queue and its session is closed.</summary>
/// <remarks>Thread-safe. The agent reconciles on its next registration whatever a closed session did not deliver.</remarks>
internal sealed partial class AgentSession : IAsyncDisposable
{
    /// <summary>Messages that may wait for a slow agent; a full queue means the agent stopped reading.</summary>
    public const int QueueCapacity = 1024;

    /// <summary>How long a closing session waits for its writer (the last messages, a stuck write).</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);

    private readonly IServerStreamWriter<CoordinatorMessage> _writer;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Channel<CoordinatorMessage> _outbox = Channel.CreateBounded<CoordinatorMessage>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _ended;
    private readonly Task _writing;
    private int _closing;

    public AgentSession(IServerStreamWriter<CoordinatorMessage> writer, string peer, TimeProvider time, ILogger log,
        CancellationToken callAborted, CancellationToken stopping)
    {
        _writer = writer;
        Peer = peer;
        _time = time;
        _log = log;
        _ended = CancellationTokenSource.CreateLinkedTokenSource(callAborted, stopping);
        _writing = Task.Run(WriteAllAsync, CancellationToken.None);
    }

    /// <summary>The agent's network address as gRPC saw it.</summary>
    public string Peer { get; }

    /// <summary>Cancelled when the call ends, the session is superseded or closed, or a write fails.</summary>
    public CancellationToken Ended => _ended.Token;

    /// <summary>Queues one message for the agent without waiting. False when the session is closing, or when the agent
    /// stopped reading (its queue is full): then the session is closed, and logged.</summary>
    public bool Post(CoordinatorMessage message)
    {
        if (Volatile.Read(ref _closing) != 0 || Ended.IsCancellationRequested)
            return false;
        if (_outbox.Writer.TryWrite(message))
            return true;
        LogStalled(_log, Peer, QueueCapacity);
        Close();
        return false;
    }

    /// <summary>Tells the agent why, then ends the session (another stream for the same host took over).</summary>
    public async Task SupersedeAsync(string reason)
    {
        Post(new CoordinatorMessage { Command = new Command { Id = "disconnect", Disconnect = new Disconnect { Reason = reason } } });
        Interlocked.Exchange(ref _closing, 1);
        _outbox.Writer.TryComplete();
        await DrainAsync();
        Close();
    }

    /// <summary>Ends the session now: queued messages are dropped and the receive loop stops.</summary>
    public void Close()
    {
        Interlocked.Exchange(ref _closing, 1);
        _outbox.Writer.TryComplete();
        try
        {
            _ended.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already finished and cleaned up.
        }
    }

    private async Task WriteAllAsync()
    {
        try
        {
            await foreach (var message in _outbox.Reader.ReadAllAsync(Ended))
                await _writer.WriteAsync(message, Ended);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException or ObjectDisposedException)
        {
            // The stream ended (or the session was closed): nothing more reaches this agent.
        }
        finally
        {
            // A write that failed ends the receive loop too; a session whose queue merely completed stays until it is closed.
            if (!_outbox.Reader.Completion.IsCompleted)
                Close();
        }
    }

    /// <summary>Waits (a bounded time) for the writer to finish.</summary>
    private async Task DrainAsync()
    {
        try
        {
            await _writing.WaitAsync(DrainTimeout, _time);
        }
        catch (TimeoutException)
        {
            // A write stuck on an agent that stopped reading: the close below cancels it.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Close();
        await DrainAsync();
        _ended.Dispose();
    }

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Agent at {Peer} stopped reading its stream ({Capacity} messages waiting); the session is closed")]
    private static partial void LogStalled(ILogger logger, string peer, int capacity);
}
