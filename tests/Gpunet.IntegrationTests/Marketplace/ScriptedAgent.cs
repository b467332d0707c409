using System.Threading.Channels;
using Gpunet.Agent.Link;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;
using Gpunet.Protocol;
using Grpc.Core;
using Grpc.Net.Client;

namespace Gpunet.IntegrationTests.Marketplace;

/// <summary>An agent's stream over real gRPC that the test drives: it registers a <see cref="RawAgent.Host"/>,
/// heartbeats, and sends whatever reports the test writes. Unless told to stop reading, it collects the commands it is
/// sent; a stalled one never reads its stream at all.</summary>
internal sealed class ScriptedAgent : IAsyncDisposable
{
    private readonly GrpcChannel _channel;
    private readonly AsyncDuplexStreamingCall<AgentMessage, CoordinatorMessage> _call;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Channel<Command> _commands = Channel.CreateUnbounded<Command>();
    private Task _heartbeats = Task.CompletedTask;
    private Task _reading = Task.CompletedTask;

    private ScriptedAgent(GrpcChannel channel, AsyncDuplexStreamingCall<AgentMessage, CoordinatorMessage> call)
    {
        _channel = channel;
        _call = call;
    }

    public required string HostId { get; init; }

    /// <summary>Registers a host named after <paramref name="seed"/>; with <paramref name="reads"/> false the stream's
    /// answers are never read after registration (an agent that stalled).</summary>
    public static async Task<ScriptedAgent> ConnectAsync(TestCoordinator c, string seed, bool reads = true)
    {
        var channel = GrpcChannel.ForAddress(c.AgentUrl);
        var call = new AgentLink.AgentLinkClient(channel).Connect();
        var registered = await AgentHandshake.RunAsync(call, Wallet.Create(), RawAgent.Host(seed), "test", TimeProvider.System, CancellationToken.None);
        var agent = new ScriptedAgent(channel, call) { HostId = registered.HostId };
        agent._heartbeats = agent.HeartbeatAsync(registered.HeartbeatIntervalMs);
        if (reads)
            agent._reading = agent.ReadAsync();
        return agent;
    }

    /// <summary>Sends one message on the stream.</summary>
    public async Task SendAsync(AgentMessage message)
    {
        await _writeLock.WaitAsync();
        try
        {
            await _call.RequestStream.WriteAsync(message);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>The next command the coordinator sent that <paramref name="match"/> accepts (others are skipped); fails
    /// after a generous deadline (never a timing claim).</summary>
    public async Task<Command> CommandAsync(Func<Command, bool> match)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var command in _commands.Reader.ReadAllAsync(deadline.Token))
        {
            if (match(command))
                return command;
        }

        throw new Xunit.Sdk.XunitException("the stream ended before the command came");
    }

    private async Task HeartbeatAsync(int intervalMs)
    {
        ulong sequence = 0;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await SendAsync(new AgentMessage { Heartbeat = new Heartbeat { Sequence = ++sequence, SentAtUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() } });
                await Task.Delay(intervalMs, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException or InvalidOperationException or IOException)
        {
            // The test is over, or the coordinator closed the stream.
        }
    }

    private async Task ReadAsync()
    {
        try
        {
            await foreach (var message in _call.ResponseStream.ReadAllAsync(_stop.Token))
            {
                if (message.BodyCase == CoordinatorMessage.BodyOneofCase.Command)
                    _commands.Writer.TryWrite(message.Command);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException or ObjectDisposedException)
        {
            // The test is over (the call may be disposed before the read sees the cancellation), or the coordinator
            // closed the stream.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _heartbeats;
        _call.Dispose();
        await _reading;
        _channel.Dispose();
        _stop.Dispose();
        _writeLock.Dispose();
    }
}
