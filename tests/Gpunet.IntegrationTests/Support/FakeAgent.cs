using System.Threading.Channels;
using Gpunet.Agent.Link;
using Gpunet.Core.Identity;
using Gpunet.Core.Metering;
using Gpunet.Protocol;
using Grpc.Core;
using Grpc.Net.Client;

namespace Gpunet.IntegrationTests.Support;

/// <summary>An agent stream driven by the test on the coordinator's fake clock: it registers for real (real gRPC), heartbeats
/// before every step of the clock until it goes silent, and reports leases and usage only when (and as) the test says.</summary>
internal sealed class FakeAgent : IAsyncDisposable
{
    private static readonly TimeSpan ReadDeadline = TimeSpan.FromSeconds(30);

    private readonly GrpcChannel _channel;
    private readonly AsyncDuplexStreamingCall<AgentMessage, CoordinatorMessage> _call;
    private readonly SteppedClock _clock;
    private readonly Channel<UsageAck> _acks = Channel.CreateUnbounded<UsageAck>();
    private readonly Channel<LogAck> _logAcks = Channel.CreateUnbounded<LogAck>();
    private readonly Channel<HeartbeatAck> _heartbeatAcks = Channel.CreateUnbounded<HeartbeatAck>();
    private readonly Channel<Command> _commands = Channel.CreateUnbounded<Command>();
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private IDisposable? _beating;
    private ulong _sequence;

    private FakeAgent(GrpcChannel channel, AsyncDuplexStreamingCall<AgentMessage, CoordinatorMessage> call, SteppedClock clock, Wallet wallet, string hostId)
    {
        _channel = channel;
        _call = call;
        _clock = clock;
        Wallet = wallet;
        HostId = hostId;
        _reader = Task.Run(ReadAsync);
    }

    public Wallet Wallet { get; }

    public string HostId { get; }

    /// <summary>Registers a host with one H100 per UUID (default one named after <paramref name="seed"/>; the same seed: the
    /// same host) owned by <paramref name="wallet"/> (default a new one), telling the coordinator of
    /// <paramref name="leases"/>; it heartbeats once now and before every step after. <paramref name="honeypot"/>: it says
    /// it runs with <c>--honeypot</c>.</summary>
    public static async Task<FakeAgent> ConnectAsync(TestCoordinator c, string seed, Wallet? wallet = null, IEnumerable<LeaseReport>? leases = null,
        string country = "DE", string? probeEndpoint = null, bool honeypot = false, params string[] uuids)
    {
        var clock = c.Clock ?? throw new InvalidOperationException("a fake agent runs on a coordinator of the service tier (with a clock)");
        wallet ??= Wallet.Create();
        var channel = GrpcChannel.ForAddress(c.AgentUrl);
        var call = new AgentLink.AgentLinkClient(channel).Connect();
        var host = RawAgent.Host(seed, uuids);
        host.Hostname = "fake";
        host.Country = country;
        host.ProbeEndpoint = probeEndpoint ?? "";
        var registered = await AgentHandshake.RunAsync(call, wallet, host, "test", clock, CancellationToken.None, leases, honeypot: honeypot);
        var agent = new FakeAgent(channel, call, clock, wallet, registered.HostId);
        await agent.HeartbeatAsync();
        agent.Resume();
        return agent;
    }

    /// <summary>Stops heartbeating (the host falls silent; its stream stays open).</summary>
    public void GoSilent()
    {
        _beating?.Dispose();
        _beating = null;
    }

    /// <summary>Heartbeats again before every step.</summary>
    public void Resume() => _beating ??= _clock.BeforeStep(HeartbeatAsync);

    /// <summary>Sends a heartbeat and waits until the coordinator has taken it.</summary>
    public async Task HeartbeatAsync()
    {
        var sequence = ++_sequence;
        await SendAsync(new AgentMessage { Heartbeat = new Heartbeat { Sequence = sequence, SentAtUnixMs = _clock.NowMs, AckRequested = true } });
        while ((await _heartbeatAcks.Reader.ReadAsync().AsTask().WaitAsync(ReadDeadline)).Sequence != sequence)
        {
        }
    }

    /// <summary>The next command the coordinator sends this host.</summary>
    public async Task<Command> NextCommandAsync() => await _commands.Reader.ReadAsync().AsTask().WaitAsync(ReadDeadline);

    /// <summary>The next command the coordinator sent this host, if one has come (after <see cref="HeartbeatAsync"/>, every
    /// command sent before its answer has: one stream carries both, in order).</summary>
    public bool TryNextCommand([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Command? command) => _commands.Reader.TryRead(out command);

    /// <summary>Waits for the coordinator to start a lease here, and reports it running now; returns it and its start.</summary>
    public async Task<(StartLease Lease, long StartedMs)> RunNextLeaseAsync()
    {
        Command command;
        do
            command = await NextCommandAsync();
        while (command.StartLease is null);
        var at = _clock.NowMs;
        await ReportAsync(command.StartLease.LeaseId, LeaseReport.Types.Phase.Running);
        return (command.StartLease, at);
    }

    /// <summary>Reports a lease's phase at the clock's now (RUNNING with the host port it gave the lease, if any), and
    /// lets the coordinator take it.</summary>
    public async Task ReportAsync(string leaseId, LeaseReport.Types.Phase phase, int exitCode = 0, string detail = "",
        LeaseReport.Types.KillCause killCause = LeaseReport.Types.KillCause.Unspecified, int endpointPort = 0)
    {
        await SendReportAsync(new LeaseReport
        {
            LeaseId = leaseId, Phase = phase, ExitCode = exitCode, Detail = detail, AtUnixMs = _clock.NowMs, KillCause = killCause,
            EndpointPort = endpointPort,
        });
        await _clock.SettleAsync();
    }

    /// <summary>Sends a lease report and returns once the coordinator has read it (queued for its market), without
    /// waiting for the service tier to settle.</summary>
    public async Task SendReportAsync(LeaseReport report)
    {
        await SendAsync(new AgentMessage { LeaseReport = report });
        // The report reaches the market's queue on the stream's reader: a heartbeat answered after it means it was read.
        await HeartbeatAsync();
    }

    /// <summary>A usage report of [<paramref name="from"/>, <paramref name="to"/>) signed by <paramref name="signer"/> (default: this host's operator).</summary>
    public UsageReport Report(StartLease lease, long from, long to, long sequence, string? hostId = null, Wallet? signer = null, string network = "test")
    {
        var statement = new UsageStatement(lease.LeaseId, hostId ?? HostId, from, to, lease.GpuIndices.Count, lease.GpuMilli, sequence, lease.Attempt);
        return new UsageReport
        {
            LeaseId = statement.LeaseId,
            HostId = statement.HostId,
            FromUnixMs = from,
            ToUnixMs = to,
            Gpus = statement.Gpus,
            GpuMilli = statement.GpuMilli,
            Sequence = sequence,
            Attempt = lease.Attempt,
            Signature = (signer ?? Wallet).Sign(statement.ToCanonical(network, Wallet.Address)),
        };
    }

    /// <summary>Sends a usage report and returns the coordinator's answer (a period the last heartbeat does not cover is
    /// answered after the next one: heartbeat first, or step the clock).</summary>
    public async Task<UsageAck> SendUsageAsync(UsageReport report)
    {
        await SendAsync(new AgentMessage { UsageReport = report });
        return await _acks.Reader.ReadAsync().AsTask().WaitAsync(ReadDeadline);
    }

    /// <summary>Sends one batch of a lease's lines, numbered from <paramref name="firstSequence"/>, for the attempt the
    /// start command named (or <paramref name="attempt"/>).</summary>
    public Task SendLinesAsync(StartLease lease, long firstSequence, IEnumerable<string> lines, int? attempt = null)
    {
        var batch = new LeaseLog { LeaseId = lease.LeaseId, Attempt = attempt ?? lease.Attempt };
        var sequence = firstSequence;
        foreach (var text in lines)
            batch.Lines.Add(new LogLine { Sequence = sequence++, Stream = "stdout", Text = text, AtUnixMs = _clock.NowMs });
        return SendAsync(new AgentMessage { LeaseLog = batch });
    }

    /// <summary>Reports a batch of refused probes, then heartbeats: once that is answered, the batch has been taken (one
    /// stream, in order).</summary>
    public async Task SendRefusalsAsync(ProbeRefusals batch)
    {
        await SendAsync(new AgentMessage { ProbeRefusals = batch });
        await HeartbeatAsync();
    }

    /// <summary>The next log batch the coordinator acknowledges (stored, or never to be taken).</summary>
    public async Task<LogAck> NextLogAckAsync() => await _logAcks.Reader.ReadAsync().AsTask().WaitAsync(ReadDeadline);

    /// <summary>Whether the coordinator has acknowledged a log batch that was not read yet.</summary>
    public bool HasLogAck => _logAcks.Reader.TryPeek(out _);

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
                else if (m.LogAck is { } stored)
                    await _logAcks.Writer.WriteAsync(stored);
                else if (m.HeartbeatAck is { } beat)
                    await _heartbeatAcks.Writer.WriteAsync(beat);
                else if (m.Command is { } command)
                    await _commands.Writer.WriteAsync(command);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        GoSilent();
        await _stop.CancelAsync();
        try
        {
            await _reader;
        }
        catch (OperationCanceledException)
        {
        }

        _call.Dispose();
        _channel.Dispose();
        _stop.Dispose();
        _write.Dispose();
    }
}
