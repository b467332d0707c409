using System.Threading.Channels;
using Gpunet.Agent.Link;
using Gpunet.Core.Identity;
using Gpunet.Core.Metering;
using Gpunet.IntegrationTests.Support;
using Gpunet.Protocol;
using Grpc.Core;
using Grpc.Net.Client;

namespace Gpunet.IntegrationTests.Metering;

/// <summary>An agent stream driven by the test: it registers for real, reports a started lease as running, and sends
/// heartbeats and usage reports only when (and as) the test says.</summary>
internal sealed class FakeAgent : IAsyncDisposable
{
    private readonly GrpcChannel _channel;
    private readonly AsyncDuplexStreamingCall<AgentMessage, CoordinatorMessage> _call;
    private readonly Channel<UsageAck> _acks = Channel.CreateUnbounded<UsageAck>();
    private readonly Channel<StartLease> _starts = Channel.CreateUnbounded<StartLease>();
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private Task _beating = Task.CompletedTask;
    private ulong _sequence;

    private FakeAgent(GrpcChannel channel, AsyncDuplexStreamingCall<AgentMessage, CoordinatorMessage> call, Wallet wallet, string hostId)
    {
        _channel = channel;
        _call = call;
        Wallet = wallet;
        HostId = hostId;
        _reader = Task.Run(ReadAsync);
    }

    public Wallet Wallet { get; }

    public string HostId { get; }

    /// <summary>Registers a one-GPU H100 host (the same <paramref name="seed"/>: the same host) owned by
    /// <paramref name="wallet"/> (default a new one), telling the coordinator of <paramref name="leases"/>.</summary>
    public static async Task<FakeAgent> ConnectAsync(TestCoordinator c, string seed, Wallet? wallet = null, IEnumerable<LeaseReport>? leases = null)
    {
        wallet ??= Wallet.Create();
        var channel = GrpcChannel.ForAddress(c.AgentUrl);
        var call = new AgentLink.AgentLinkClient(channel).Connect();
        var host = new HostDescription
        {
            Fingerprint = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed))),
            Hostname = "fake",
            Country = "DE",
            PriceUsdPerGpuHour = 2,
            Gpus = { new GpuDescription { Index = 0, Uuid = "GPU-" + seed, Model = "H100-SXM5-80GB", MemoryTotalMib = 81559 } },
        };
        var registered = await AgentHandshake.RunAsync(call, wallet, host, "test", TimeProvider.System, CancellationToken.None, leases);
        var agent = new FakeAgent(channel, call, wallet, registered.HostId);
        await agent.HeartbeatAsync();
        return agent;
    }

    private CancellationTokenSource? _pause;

    /// <summary>Stops the heartbeats started by <see cref="Beat"/>.</summary>
    public async Task PauseHeartbeatsAsync()
    {
        await (_pause?.CancelAsync() ?? Task.CompletedTask);
        await _beating;
    }

    /// <summary>Heartbeats every <paramref name="everyMs"/> until <see cref="PauseHeartbeatsAsync"/>.</summary>
    public void Beat(int everyMs = 200)
    {
        _pause?.Dispose();
        _pause = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var token = _pause.Token;
        _beating = Task.Run(async () =>
        {
            try
            {
                while (!token.IsCancellationRequested)
                {
                    await HeartbeatAsync();
                    await Task.Delay(everyMs, token);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }, CancellationToken.None);
    }

    public Task HeartbeatAsync() => SendAsync(new AgentMessage { Heartbeat = new Heartbeat { Sequence = ++_sequence, SentAtUnixMs = NowMs(), AckRequested = false } });

    /// <summary>Waits for the coordinator to start a lease here, and reports it running now; returns it and its start.</summary>
    public async Task<(StartLease Lease, long StartedMs)> RunNextLeaseAsync()
    {
        var start = await _starts.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        var at = NowMs();
        await SendAsync(new AgentMessage { LeaseReport = new LeaseReport { LeaseId = start.LeaseId, Phase = LeaseReport.Types.Phase.Running, AtUnixMs = at } });
        return (start, at);
    }

    /// <summary>A usage report of [<paramref name="from"/>, <paramref name="to"/>) signed by <paramref name="signer"/> (default: this host's operator).</summary>
    public UsageReport Report(StartLease lease, long from, long to, long sequence, string? hostId = null, Wallet? signer = null, string network = "test")
    {
        var statement = new UsageStatement(lease.LeaseId, hostId ?? HostId, from, to, lease.GpuIndices.Count, lease.GpuMilli, sequence);
        return new UsageReport
        {
            LeaseId = statement.LeaseId,
            HostId = statement.HostId,
            FromUnixMs = from,
            ToUnixMs = to,
            Gpus = statement.Gpus,
            GpuMilli = statement.GpuMilli,
            Sequence = sequence,
            Signature = (signer ?? Wallet).Sign(statement.ToCanonical(network, Wallet.Address)),
        };
    }

    /// <summary>Sends a usage report and returns the coordinator's answer.</summary>
    public async Task<UsageAck> SendUsageAsync(UsageReport report)
    {
        await SendAsync(new AgentMessage { UsageReport = report });
        return await _acks.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public static long NowMs() => TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task SendAsync(AgentMessage message)
    {
        await _write.WaitAsync();
        try
        {
            await _call.RequestStream.WriteAsync(message);
        }
        finally
        {
            _write.Release();
        }
    }

    private async Task ReadAsync()
    {
        try
        {
            while (await _call.ResponseStream.MoveNext(_stop.Token))
            {
                var m = _call.ResponseStream.Current;
                if (m.UsageAck is { } ack)
                    await _acks.Writer.WriteAsync(ack);
                else if (m.Command?.StartLease is { } start)
                    await _starts.Writer.WriteAsync(start);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _beating;
            await _reader;
        }
        catch (OperationCanceledException)
        {
        }

        _call.Dispose();
        _channel.Dispose();
        _pause?.Dispose();
        _stop.Dispose();
        _write.Dispose();
    }
}
