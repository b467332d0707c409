using System.Threading.Channels;
using Grpc.Core;

namespace Gpunet.Coordinator.Concurrency;

/// <summary>One connected stream to a peer (an agent, a checker). Messages to the peer wait in a bounded queue that one
/// writer drains, so no caller ever awaits the network; a peer that stops reading fills its queue and its session is
/// closed.</summary>
/// <remarks>Thread-safe.</remarks>
internal class StreamSession<TMessage> : IAsyncDisposable where TMessage : class
{
    /// <summary>Messages that may wait for a slow agent; a full queue means the agent stopped reading.</summary>
    public const int QueueCapacity = 1024;

    /// <summary>How long a closing session waits for its writer (the last messages, a stuck write).</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);

    private readonly IServerStreamWriter<TMessage> _writer;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Channel<TMessage> _outbox = Channel.CreateBounded<TMessage>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _ended;
    private readonly Task _writing;
    private int _closing;

    public StreamSession(IServerStreamWriter<TMessage> writer, string peer, TimeProvider time, ILogger log,
        CancellationToken callAborted, CancellationToken stopping)
    {
        _writer = writer;
        Peer = peer;
        _time = time;
        _log = log;
        _ended = CancellationTokenSource.CreateLinkedTokenSource(callAborted, stopping);
        _writing = Task.Run(WriteAllAsync, CancellationToken.None);
    }

    /// <summary>The peer's network address as gRPC saw it.</summary>
    public string Peer { get; }

    /// <summary>Cancelled when the call ends, the session is superseded or closed, or a write fails.</summary>
    public CancellationToken Ended => _ended.Token;

    /// <summary>Queues one message for the peer without waiting. False when the session is closing, or when the peer
    /// stopped reading (its queue is full): then the session is closed, and logged.</summary>
    public bool Post(TMessage message)
    {
        if (Volatile.Read(ref _closing) != 0 || Ended.IsCancellationRequested)
            return false;
        if (_outbox.Writer.TryWrite(message))
            return true;
        StreamSessionLog.Stalled(_log, Peer, QueueCapacity);
        Close();
        return false;
    }

    /// <summary>Sends <paramref name="last"/>, then ends the session once it is written (or a bounded time passed).</summary>
    public async Task EndWithAsync(TMessage last)
    {
        Post(last);
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
            // The stream ended (or the session was closed): nothing more reaches this peer.
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
            // A write stuck on a peer that stopped reading: the close below cancels it.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Close();
        await DrainAsync();
        _ended.Dispose();
    }
}
