using Gpunet.Agent.Discovery;
using Gpunet.Agent.Link;
using Gpunet.Core.Identity;
using Gpunet.Protocol;
using Grpc.Core;
using System.Net.Http.Json;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

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
    private readonly HttpClient _http;
    private GrpcChannel? _channel;
    private Uri? _agentUrl;
    private readonly ResiliencePipeline _reconnect;
    private volatile string? _hostId;
    private volatile string _status = "starting";
    private long _heartbeatsSent;

    public HostAgent(AgentOptions options, Wallet wallet, IGpuSource gpus, TimeProvider time, ILogger log)
    {
        _options = options;
        _wallet = wallet;
        _gpus = gpus;
        _time = time;
        _log = log;
        _http = new HttpClient { BaseAddress = options.Coordinator, Timeout = TimeSpan.FromSeconds(10) };
        _reconnect = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<RpcException>(IsTransient).Handle<IOException>().Handle<HttpRequestException>(),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(250),
                MaxDelay = options.MaxReconnectDelay,
                MaxRetryAttempts = int.MaxValue,
                OnRetry = a =>
                {
                    _status = "reconnecting";
                    LogReconnecting(_log, a.RetryDelay.TotalSeconds, a.Outcome.Exception?.Message ?? "stream ended");
                    return default;
                },
            })
            .Build();
    }

    /// <summary>The host id the coordinator gave this machine; null until registered.</summary>
    public string? HostId => _hostId;

    /// <summary>starting, connecting, connected, reconnecting or stopped.</summary>
    public string Status => _status;

    public long HeartbeatsSent => Interlocked.Read(ref _heartbeatsSent);

    /// <summary>Runs until <paramref name="ct"/> is cancelled, or throws <see cref="AgentStoppedException"/>.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var inventory = await _gpus.ReadAsync(ct);
        if (inventory.Gpus.Count == 0)
            throw new AgentStoppedException("no GPUs found; use --simulate MODEL:COUNT on a machine without GPUs");
        var description = HostDescriptions.Build(_options, inventory, HardwareFingerprint.PrimaryMac(), HardwareFingerprint.CpuModel());
        try
        {
            while (!ct.IsCancellationRequested)
            {
                _status = "connecting";
                await _reconnect.ExecuteAsync(async token => await SessionAsync(description, token), ct);
                // The coordinator ended the stream cleanly (e.g. it is restarting): connect again.
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
            _status = "stopped";
        }
    }

    /// <summary>Asks the coordinator's REST API where agents connect, and (re)creates the gRPC channel if it moved.</summary>
    private async Task<GrpcChannel> ChannelAsync(CancellationToken ct)
    {
        var network = await _http.GetFromJsonAsync<NetworkInfo>("/api/v1/network", ct)
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

    private sealed record NetworkInfo(string AgentUrl);

    private async Task SessionAsync(HostDescription description, CancellationToken ct)
    {
        var client = new AgentLink.AgentLinkClient(await ChannelAsync(ct));
        using var session = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var call = client.Connect(cancellationToken: session.Token);
        var registered = await AgentHandshake.RunAsync(call, _wallet, description, Version, _time, session.Token);
        _hostId = registered.HostId;
        _status = "connected";
        LogRegistered(_log, registered.HostId, _options.Coordinator.ToString(), registered.State);

        var interval = TimeSpan.FromMilliseconds(Math.Max(100, registered.HeartbeatIntervalMs));
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
                    else if (m.Command?.Disconnect is { } d)
                        stopReason = d.Reason;
                }
            }
            finally
            {
                await session.CancelAsync();
            }
        }, CancellationToken.None);

        using var timer = new PeriodicTimer(interval, _time);
        ulong sequence = 0;
        try
        {
            do
            {
                // Half-open connection: no ack for 3 intervals means the coordinator is gone even if TCP says otherwise.
                if (_time.GetElapsedTime(Interlocked.Read(ref lastAckTicks)) > interval * 3 + TimeSpan.FromSeconds(5))
                    throw new RpcException(new Status(StatusCode.Unavailable, "no heartbeat acknowledgement for 3 intervals"));
                var inventory = await _gpus.ReadAsync(session.Token);
                var heartbeat = new Heartbeat
                {
                    Sequence = ++sequence,
                    SentAtUnixMs = _time.GetUtcNow().ToUnixTimeMilliseconds(),
                    AckRequested = true,
                };
                foreach (var g in inventory.Gpus)
                {
                    heartbeat.Gpus.Add(new GpuStatus
                    {
                        Index = g.Index,
                        UtilizationPct = g.UtilizationPct ?? -1,
                        TemperatureC = g.TemperatureC ?? -1,
                        MemoryUsedMib = g.MemoryUsedMiB,
                    });
                }

                await call.RequestStream.WriteAsync(new AgentMessage { Heartbeat = heartbeat }, session.Token);
                Interlocked.Increment(ref _heartbeatsSent);
            }
            while (await timer.WaitForNextTickAsync(session.Token));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The reader ended the session: the server closed the stream or failed it.
        }

        try
        {
            await reader;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }

        if (stopReason is not null)
            throw new AgentStoppedException($"the coordinator disconnected this agent: {stopReason}");
        ct.ThrowIfCancellationRequested();
        throw new RpcException(new Status(StatusCode.Unavailable, "the coordinator closed the stream"));
    }

    private static bool IsTransient(RpcException e) => e.StatusCode is StatusCode.Unavailable or StatusCode.Unknown
        or StatusCode.Internal or StatusCode.DeadlineExceeded or StatusCode.Cancelled or StatusCode.ResourceExhausted or StatusCode.Aborted;

    public void Dispose()
    {
        _channel?.Dispose();
        _http.Dispose();
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Registered as {HostId} with {Coordinator} (state {State})")]
    private static partial void LogRegistered(ILogger logger, string hostId, string coordinator, string state);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Coordinator unreachable, retrying in {Seconds:0.0} s: {Reason}")]
    private static partial void LogReconnecting(ILogger logger, double seconds, string reason);
}
