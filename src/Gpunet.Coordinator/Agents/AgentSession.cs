using Gpunet.Protocol;
using Grpc.Core;

namespace Gpunet.Coordinator.Agents;

/// <summary>One connected agent stream: serialises writes to it and lets another thread end it.</summary>
internal sealed class AgentSession(IServerStreamWriter<CoordinatorMessage> writer, string peer, CancellationToken callAborted, CancellationToken stopping) : IDisposable
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _ended = CancellationTokenSource.CreateLinkedTokenSource(callAborted, stopping);

    /// <summary>The agent's network address as gRPC saw it.</summary>
    public string Peer { get; } = peer;

    /// <summary>Cancelled when the call ends or the session is superseded.</summary>
    public CancellationToken Ended => _ended.Token;

    /// <summary>Sends one message; concurrent callers take turns.</summary>
    public async ValueTask SendAsync(CoordinatorMessage message)
    {
        await _writeLock.WaitAsync(Ended);
        try
        {
            await writer.WriteAsync(message, Ended);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Tells the agent why, then ends the session (another stream for the same host took over).</summary>
    public async Task SupersedeAsync(string reason)
    {
        try
        {
            await SendAsync(new CoordinatorMessage
            {
                Command = new Command { Id = "disconnect", Disconnect = new Disconnect { Reason = reason } },
            }).AsTask().WaitAsync(TimeSpan.FromSeconds(2));
        }
#pragma warning disable CA1031 // best effort: the old stream may already be dead
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        try
        {
            await _ended.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // The old stream already finished and cleaned up.
        }
    }

    public void Dispose()
    {
        _ended.Dispose();
        _writeLock.Dispose();
    }
}
