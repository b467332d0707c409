using Gpunet.Agent.Discovery;
using Gpunet.Agent.Link;
using Gpunet.Agent.Probe;
using Gpunet.Agent.Workloads;
using Gpunet.Contracts.Network;
using Gpunet.Core.Identity;
using Gpunet.Protocol;
using Grpc.Core;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Polly;

namespace Gpunet.Agent;

/// <summary>One host agent: discovers its GPUs, registers with the coordinator over an authenticated gRPC stream,
/// heartbeats, and reconnects with jittered backoff whenever the coordinator goes away.</summary>
public sealed partial class HostAgent : IDisposable
{
    public const string Version = "0.1.0"; // reported to the coordinator in Hello

    private readonly AgentOptions _options;
    private readonly Wallet _wallet;
    private readonly IGpuSource _gpus;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly CoordinatorList _coordinators;
    private GrpcChannel? _channel;
    private Uri? _agentUrl;
    private readonly ResiliencePipeline _reconnect;
    private readonly LeaseSupervisor _leases;
    private readonly ProcessRuntime _processRuntime;
    private readonly UsageSigner _usage;
    private volatile string? _hostId;
    private AgentProbe? _probe;
    private long _heartbeatIntervalTicks; // the interval the coordinator gave at the latest registration; 0 before

    public HostAgent(AgentOptions options, Wallet wallet, IGpuSource gpus, TimeProvider time, ILogger log)
    {
        _options = options;
        _wallet = wallet;
        _gpus = gpus;
        _time = time;
        _log = log;
        _coordinators = new CoordinatorList(options.Coordinators);
        _usage = new UsageSigner(wallet);
        // Both runtimes take their leases' host ports from the one pool of the agent's range.
        _processRuntime = new ProcessRuntime(options.WorkDirectory, time) { AllowUnsandboxed = options.UnsafeProcessRuntime, Ports = options.LeasePorts };
        IWorkloadRuntime[] runtimes = [_processRuntime, new DockerRuntime(options.WorkDirectory, time, options: options.Docker.WithPorts(options.LeasePorts))];
        _leases = new LeaseSupervisor(options.WorkDirectory, time, log, options.Honeypot ? [.. runtimes.Select(r => new RefusingRuntime(r))] : runtimes,
            usage: _usage, usageInterval: options.UsageInterval, folderRetention: options.LeaseRetention);
        _reconnect = ReconnectPipeline.Build(options.MaxReconnectDelay,
            () => Volatile.Read(ref _heartbeatIntervalTicks) is > 0 and var t ? TimeSpan.FromTicks(t) : null, time, log);
    }

    /// <summary>The host id the coordinator gave this machine; null until registered.</summary>
    public string? HostId => _hostId;

    /// <summary>The probe endpoint, its announced checks and counters; null until the run has started it.</summary>
    public AgentProbe? Probe => _probe;

    /// <summary>Runs until <paramref name="ct"/> is cancelled, or throws <see cref="AgentStoppedException"/>.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var inventory = await _gpus.ReadAsync(ct);
        if (inventory.Gpus.Count == 0)
            throw new AgentStoppedException("no GPUs found; use --simulate MODEL:COUNT on a machine without GPUs");
        var description = HostDescriptions.Build(_options, inventory, HardwareFingerprint.PrimaryMac(), HardwareFingerprint.CpuModel());
        LogProcessIsolation();
        _probe = await AgentProbe.StartAsync(_options, inventory, _time, _log, ct);
        description.ProbeEndpoint = _probe.Endpoint;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                // One retry run per connection: the backoff grows while the coordinator stays away and starts over
                // once a session has served for a while (SessionAsync then returns instead of throwing).
                await _reconnect.ExecuteAsync(async token =>
                {
                    try
                    {
                        await SessionAsync(description, token);
                    }
                    finally
                    {
                        // Its stream ended or never opened: the next try goes to the next coordinator of the list (the
                        // same one when there is one), with the same backoff.
                        if (_coordinators.Next())
                            ResetChannel(); // another coordinator names its own agent endpoint
                    }
                }, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (RpcException e)
        {
            throw new AgentStoppedException($"the coordinator refused this agent ({e.StatusCode}): {e.Status.Detail}", e);
        }
        finally
        {
            // The probe endpoint stops with the agent: no check is answered by a host that is not running.
            await _probe.DisposeAsync();
        }
    }

    /// <summary>Asks the coordinator's REST API where agents connect, and (re)creates the gRPC channel if it moved.</summary>
    private async Task<GrpcChannel> ChannelAsync(CancellationToken ct)
    {
        var network = await _coordinators.Http.GetFromJsonAsync<NetworkView>("/api/v1/network", ct)
            ?? throw new RpcException(new Status(StatusCode.Unavailable, "empty answer from /api/v1/network"));
        if (!Uri.TryCreate(network.AgentUrl, UriKind.Absolute, out var url))
            throw new AgentStoppedException($"the coordinator named an invalid agent URL '{network.AgentUrl}'");
        if (_channel is null || _agentUrl != url)
        {
            _channel?.Dispose();
            _agentUrl = url;
            _channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions
            {
                HttpHandler = new SocketsHttpHandler
                {
                    EnableMultipleHttp2Connections = true,
                    KeepAlivePingDelay = TimeSpan.FromSeconds(30),
                    KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
                    ConnectTimeout = TimeSpan.FromSeconds(5),
                },
            });
        }

        return _channel;
    }

    /// <summary>A session that served at least this long ends with a fresh backoff; a shorter one counts as a failure,
    /// so a coordinator that accepts and then drops agents is not hammered.</summary>
    private static readonly TimeSpan HealthySession = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Connects, registers and heartbeats until the stream ends. Returns after a healthy session; throws when it
    /// could not connect or the session failed quickly (the retry policy then backs off).</summary>
    private async Task SessionAsync(HostDescription description, CancellationToken ct)
    {
        GrpcChannel channel;
        try
        {
            channel = await ChannelAsync(ct);
        }
        catch (Exception e) when (e is TaskCanceledException or JsonException && !ct.IsCancellationRequested)
        {
            // A slow or odd answer from the REST API (a proxy's error page, a timeout) is worth retrying.
            throw new RpcException(new Status(StatusCode.Unavailable, $"cannot read {Coordinator}api/v1/network: {e.Message}"));
        }

        using var session = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var call = new AgentLink.AgentLinkClient(channel).Connect(cancellationToken: session.Token);
        Registered registered;
        var network = "";
        using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(session.Token))
        {
            handshake.CancelAfter(HandshakeTimeout);
            try
            {
                registered = await AgentHandshake.RunAsync(call, _wallet, description, Version, _time, handshake.Token, _leases.Reports(), n => network = n, _options.Honeypot);
            }
            catch (Exception e) when (e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled } && !ct.IsCancellationRequested)
            {
                ResetChannel();
                throw new RpcException(new Status(StatusCode.DeadlineExceeded, $"no registration within {HandshakeTimeout.TotalSeconds:0} s"));
            }
        }

        _hostId = registered.HostId;
        _usage.Registered(registered.HostId, network);
        _probe?.Registered(registered.HostId, network);
        var since = _time.GetTimestamp();
        LogRegistered(_log, registered.HostId, Coordinator.ToString(), registered.State);

        var interval = TimeSpan.FromMilliseconds(Math.Max(100, registered.HeartbeatIntervalMs));
        Volatile.Write(ref _heartbeatIntervalTicks, interval.Ticks);
        long lastAckTicks = _time.GetTimestamp();
        string? stopReason = null;
        var reader = Task.Run(async () =>
        {
            try
            {
                while (await call.ResponseStream.MoveNext(session.Token))
                {
                    var m = call.ResponseStream.Current;
                    if (m.BodyCase == CoordinatorMessage.BodyOneofCase.HeartbeatAck)
                        Interlocked.Exchange(ref lastAckTicks, _time.GetTimestamp());
                    else if (m.UsageAck is { } answered)
                    {
                        // Answered for good (a refusal too): not sent again.
                        _leases.Acknowledged(answered);
                        if (!answered.Accepted)
                            LogUsageRefused(_log, answered.LeaseId, answered.Sequence, answered.Code, answered.Reason);
                    }
                    else if (m.LogAck is { } stored)
                        _leases.Acknowledged(stored);
                    else if (m.Command is { } command)
                        Obey(command, ref stopReason);
                }
            }
            finally
            {
                await session.CancelAsync();
            }
        }, CancellationToken.None);

        // One writer at a time on the request stream: heartbeats and the leases' reports and lines take turns.
        using var writeLock = new SemaphoreSlim(1, 1);
        async Task WriteAsync(AgentMessage message)
        {
            await writeLock.WaitAsync(session.Token);
            try
            {
                await call.RequestStream.WriteAsync(message, session.Token);
            }
            finally
            {
                writeLock.Release();
            }
        }

        // What the last stream carried and the coordinator did not acknowledge goes out again first.
        _leases.ResendUnacknowledged();
        var outbox = Task.Run(async () =>
        {
            try
            {
                while (await _leases.Outbox.WaitToReadAsync(session.Token))
                {
                    // Peek, send, then take: a message the broken stream did not carry is sent on the next one.
                    while (_leases.Outbox.TryPeek(out var message))
                    {
                        await WriteAsync(message);
                        _leases.Outbox.TryRead(out _);
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or RpcException or IOException or InvalidOperationException)
            {
                // The session ended; the next one carries on from the first unsent message.
            }
        }, CancellationToken.None);

        Exception? failure = null;
        try
        {
            using var timer = new PeriodicTimer(interval, _time);
            ulong sequence = 0;
            do
            {
                // Half-open connection: no ack for 3 intervals means the coordinator is gone even if TCP says otherwise.
                if (_time.GetElapsedTime(Interlocked.Read(ref lastAckTicks)) > interval * 3 + TimeSpan.FromSeconds(5))
                {
                    ResetChannel();
                    throw new RpcException(new Status(StatusCode.Unavailable, "no heartbeat acknowledgement for 3 intervals"));
                }

                await WriteAsync(new AgentMessage { Heartbeat = await HeartbeatAsync(++sequence, session.Token) });
                // Refused probes ride the heartbeat's tick: the outbox lets one batch out every 10 s at most.
                if (_probe?.Refusals.TakeDue() is { } refusals)
                    await WriteAsync(new AgentMessage { ProbeRefusals = refusals });
            }
            while (await timer.WaitForNextTickAsync(session.Token));
        }
#pragma warning disable CA1031 // every way the session ends is sorted out below
        catch (Exception e)
#pragma warning restore CA1031
        {
            failure = e;
        }
        finally
        {
            await session.CancelAsync();
            try
            {
                await reader;
                await outbox;
            }
#pragma warning disable CA1031 // the reader ends with the session; its exception says nothing new
            catch (Exception)
#pragma warning restore CA1031
            {
            }

            // Usage up to the break, so that the next coordinator (or this one restarted) bills what was heard before it.
            _leases.ReportUsageNow();
        }

        if (Volatile.Read(ref stopReason) is { } reason)
            throw new AgentStoppedException($"the coordinator disconnected this agent: {reason}");
        ct.ThrowIfCancellationRequested();
        if (_time.GetElapsedTime(since) >= HealthySession)
        {
            LogSessionEnded(_log, failure?.Message ?? "the coordinator closed the stream");
            return;
        }

        // A write after the coordinator ended the call fails with status OK: that is the stream closing, not a refusal.
        throw failure is RpcException { StatusCode: not StatusCode.OK } refused
            ? refused
            : new RpcException(new Status(StatusCode.Unavailable, failure?.Message ?? "the coordinator closed the stream"));
    }

    /// <summary>Carries out one command from the coordinator.</summary>
    private void Obey(Command command, ref string? stopReason)
    {
        switch (command.KindCase)
        {
            case Command.KindOneofCase.Disconnect:
                Volatile.Write(ref stopReason, command.Disconnect.Reason);
                break;
            case Command.KindOneofCase.StartLease:
                _leases.Start(command.StartLease);
                break;
            case Command.KindOneofCase.StopLease:
                _leases.Stop(command.StopLease.LeaseId, command.StopLease.Reason);
                break;
            case Command.KindOneofCase.ForgetLease:
                _leases.Forget(command.ForgetLease.LeaseId);
                break;
            case Command.KindOneofCase.ExpectCheck:
                _probe?.Expect(command.ExpectCheck);
                break;
            default:
                break;
        }
    }

    private async Task<Heartbeat> HeartbeatAsync(ulong sequence, CancellationToken ct) =>
        Heartbeats.Of(await _gpus.ReadAsync(ct), sequence, _time.GetUtcNow());

    /// <summary>The coordinator the agent connects to now (or tries next).</summary>
    public Uri Coordinator => _coordinators.Current;

    /// <summary>Drops the gRPC channel so the next session dials a new connection instead of reusing a dead one.</summary>
    private void ResetChannel()
    {
        _channel?.Dispose();
        _channel = null;
    }

    public void Dispose()
    {
        // Workloads die with their agent: the coordinator learns it from the next registration's lease reports.
        _leases.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _channel?.Dispose();
        _coordinators.Dispose();
    }

    /// <summary>Says at start how process workloads will be kept from this host, loudly when they will not be.</summary>
    private void LogProcessIsolation()
    {
        if (!_processRuntime.IsAvailable(out var reason))
            LogProcessRuntimeRefused(_log, reason);
        else if (_processRuntime.Isolation == ProcessIsolation.None)
            LogProcessRuntimeUnsafe(_log);
        else
        {
            LogProcessRuntimeSandboxed(_log, _processRuntime.Isolation == ProcessIsolation.UidPerLease
                ? "each lease as its own uid" : "in a user namespace, as the agent's user (run the agent as root for a uid per lease)");
            if (_processRuntime.EnsureEgressFilter() is { } why)
                LogLeaseEgressUnfiltered(_log, why);
            else
                LogLeaseEgressFiltered(_log);
        }
    }

    [LoggerMessage(EventId = 3008, Level = LogLevel.Information, Message = "Leases' connections to this host and to local networks are refused (nftables table " + LeaseEgressFilter.Table + ")")]
    private static partial void LogLeaseEgressFiltered(ILogger logger);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Warning, Message = "Leases can open connections to this host's services and local networks (a cloud's metadata endpoint among them): {Reason}")]
    private static partial void LogLeaseEgressUnfiltered(ILogger logger, string reason);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Process workloads run sandboxed by bubblewrap, {How}")]
    private static partial void LogProcessRuntimeSandboxed(ILogger logger, string how);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "UNSAFE: process workloads run unsandboxed, as this agent's user, and can read its key and files (--unsafe-process-runtime; development only)")]
    private static partial void LogProcessRuntimeUnsafe(ILogger logger);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "Process workloads are refused: {Reason}")]
    private static partial void LogProcessRuntimeRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Registered as {HostId} with {Coordinator} (state {State})")]
    private static partial void LogRegistered(ILogger logger, string hostId, string coordinator, string state);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Usage report {Sequence} of lease {LeaseId} refused ({Code}): {Reason}")]
    private static partial void LogUsageRefused(ILogger logger, string leaseId, long sequence, string code, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Session ended ({Reason}); reconnecting")]
    private static partial void LogSessionEnded(ILogger logger, string reason);
}
