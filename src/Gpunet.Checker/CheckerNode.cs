using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Gpunet.Checker.Link;
using Gpunet.Checker.Probing;
using Gpunet.Contracts.Network;
using Gpunet.Core.Identity;
using Gpunet.Protocol;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Polly;

namespace Gpunet.Checker;

/// <summary>One checker node: opens its authenticated stream to the coordinator (<c>CheckerLink</c>), heartbeats, runs
/// every assignment against its host (at most <see cref="CheckerOptions.MaxConcurrentChecks"/> at once) and sends a
/// signed report for each; reconnects with backoff whenever the coordinator goes away.</summary>
/// <remarks>Checks run on the node's lifetime, not a stream's: a check that finishes while the stream is down has its
/// report sent on the next stream, unless its deadline has passed by then. One writer at a time on the request
/// stream: heartbeats and reports take turns.</remarks>
public sealed partial class CheckerNode : IDisposable
{
    /// <summary>Reported to the coordinator in <see cref="CheckerHello"/>.</summary>
    public const string Version = "0.1.0";

    // A session that served at least this long ends with a fresh backoff; a shorter one counts as a failure.
    private static readonly TimeSpan HealthySession = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(30);

    private readonly CheckerOptions _options;
    private readonly Wallet _wallet;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly ICheckerObserver _observer;
    private readonly HttpClient _http;
    private readonly ResiliencePipeline _reconnect;
    private readonly CheckRunner _runner;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentDictionary<string, Task> _checks = new(StringComparer.Ordinal);
    private readonly Channel<(CheckReport Report, long DeadlineUnixMs)> _outbox = Channel.CreateUnbounded<(CheckReport, long)>();
    private GrpcChannel? _channel;
    private Uri? _linkUrl;
    private CancellationToken _stopping;

    public CheckerNode(CheckerOptions options, Wallet wallet, TimeProvider time, ILogger log, ICheckerObserver? observer = null)
    {
        _options = options;
        _wallet = wallet;
        _time = time;
        _log = log;
        _observer = observer ?? new SilentObserver();
        _http = new HttpClient { BaseAddress = options.Coordinator, Timeout = TimeSpan.FromSeconds(10) };
        _reconnect = CheckerReconnectPipeline.Build(options, _observer, time, log);
        _runner = new CheckRunner(wallet, options, time);
        _slots = new SemaphoreSlim(Math.Max(1, options.MaxConcurrentChecks));
    }

    /// <summary>The checker's wallet address.</summary>
    public Address Address => _wallet.Address;

    /// <summary>Runs until <paramref name="ct"/> is cancelled (then waits for the checks in flight to stop), or throws
    /// <see cref="CheckerStoppedException"/>.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        _stopping = ct;
        try
        {
            while (!ct.IsCancellationRequested)
                await _reconnect.ExecuteAsync(async token => await SessionAsync(token), ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (RpcException e)
        {
            throw new CheckerStoppedException($"the coordinator refused this checker ({e.StatusCode}): {e.Status.Detail}", e);
        }
        finally
        {
            await Task.WhenAll(_checks.Values).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task<GrpcChannel> ChannelAsync(CancellationToken ct)
    {
        NetworkView? network;
        try
        {
            network = await _http.GetFromJsonAsync<NetworkView>("/api/v1/network", ct);
        }
        catch (Exception e) when (e is TaskCanceledException or JsonException && !ct.IsCancellationRequested)
        {
            // A slow or odd answer from the REST API (a proxy's error page, a timeout) is worth retrying.
            throw new RpcException(new Status(StatusCode.Unavailable, $"cannot read {_options.Coordinator}api/v1/network: {e.Message}"));
        }

        // Checkers open their stream where agents do: the coordinator's gRPC endpoint.
        if (network is null || !Uri.TryCreate(network.AgentUrl, UriKind.Absolute, out var url))
            throw new CheckerStoppedException($"the coordinator named an invalid gRPC URL '{network?.AgentUrl}'");
        if (_channel is null || _linkUrl != url)
        {
            _channel?.Dispose();
            _linkUrl = url;
            _channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions
            {
                HttpHandler = new SocketsHttpHandler
                {
                    // Pings find a half-open stream: the checker protocol has no heartbeat acknowledgement.
                    KeepAlivePingDelay = TimeSpan.FromSeconds(30),
                    KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
                    ConnectTimeout = TimeSpan.FromSeconds(5),
                },
            });
        }

        return _channel;
    }

    /// <summary>Connects, is admitted, and heartbeats, takes assignments and sends reports until the stream ends.</summary>
    private async Task SessionAsync(CancellationToken ct)
    {
        var channel = await ChannelAsync(ct);
        using var session = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var call = new CheckerLink.CheckerLinkClient(channel).Connect(cancellationToken: session.Token);
        CheckerAdmitted admitted;
        using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(session.Token))
        {
            handshake.CancelAfter(HandshakeTimeout);
            try
            {
                admitted = await CheckerHandshake.RunAsync(call, _wallet, _options, Version, _time, handshake.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled } && !ct.IsCancellationRequested)
            {
                throw new RpcException(new Status(StatusCode.DeadlineExceeded, $"not admitted within {HandshakeTimeout.TotalSeconds:0} s"));
            }
        }

        var network = admitted.Network;
        var since = _time.GetTimestamp();
        LogAdmitted(_log, _wallet.Address.Value, network);
        _observer.Admitted(network);

        var reader = Task.Run(async () =>
        {
            try
            {
                while (await call.ResponseStream.MoveNext(session.Token))
                {
                    var m = call.ResponseStream.Current;
                    if (m.Assignment is { } assignment)
                        Accept(assignment, network);
                    else if (m.ReportAck is { } ack)
                    {
                        if (!ack.Accepted)
                            LogReportRefused(_log, ack.CheckId, ack.Reason);
                        _observer.Acknowledged(ack);
                    }
                }
            }
            finally
            {
                await session.CancelAsync();
            }
        }, CancellationToken.None);

        using var writeLock = new SemaphoreSlim(1, 1);
        async Task WriteAsync(CheckerMessage message)
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

        var outbox = Task.Run(() => SendReportsAsync(WriteAsync, session.Token), CancellationToken.None);
        Exception? failure = null;
        try
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(100, admitted.HeartbeatIntervalMs)), _time);
            ulong sequence = 0;
            do
            {
                await WriteAsync(new CheckerMessage { Heartbeat = new CheckerHeartbeat { Sequence = ++sequence } });
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
            await Task.WhenAll(reader, outbox).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

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

    /// <summary>Starts a check of an assignment not already running; it waits for a free slot.</summary>
    private void Accept(Assignment assignment, string network)
    {
        var check = new TaskCompletionSource();
        if (!_checks.TryAdd(assignment.CheckId, check.Task))
            return;
        LogAssigned(_log, assignment.CheckId, assignment.Kind, assignment.HostId);
        _ = Task.Run(async () =>
        {
            try
            {
                await RunCheckAsync(assignment, network);
            }
            finally
            {
                _checks.TryRemove(assignment.CheckId, out _);
                check.SetResult();
            }
        }, CancellationToken.None);
    }

    private async Task RunCheckAsync(Assignment assignment, string network)
    {
        try
        {
            await _slots.WaitAsync(_stopping);
            try
            {
                if (_runner.TimeLeft(assignment) <= TimeSpan.Zero)
                {
                    // Waited for a slot past the deadline: nothing was probed, so nothing is signed.
                    LogExpired(_log, assignment.CheckId);
                    return;
                }

                var report = await _runner.RunAsync(assignment, network, _stopping);
                LogReported(_log, assignment.CheckId, assignment.Kind, assignment.HostId, report.Passed ? "pass" : "fail", report.Reason);
                _observer.Reported(assignment, report);
                _outbox.Writer.TryWrite((report, assignment.DeadlineUnixMs));
            }
            finally
            {
                _slots.Release();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // one check's bug must not stop the checker; it is logged
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogCheckCrashed(_log, e, assignment.CheckId);
        }
    }

    /// <summary>Sends reports in the order they were made; one the stream did not take is sent on the next stream,
    /// unless its deadline has passed (the coordinator would refuse it).</summary>
    private async Task SendReportsAsync(Func<CheckerMessage, Task> write, CancellationToken ct)
    {
        while (await _outbox.Reader.WaitToReadAsync(ct))
        {
            while (_outbox.Reader.TryPeek(out var pending))
            {
                if (_time.GetUtcNow().ToUnixTimeMilliseconds() <= pending.DeadlineUnixMs)
                    await write(new CheckerMessage { Report = pending.Report });
                else
                    LogExpired(_log, pending.Report.CheckId);
                _outbox.Reader.TryRead(out _);
            }
        }
    }

    public void Dispose()
    {
        _channel?.Dispose();
        _http.Dispose();
        _slots.Dispose();
    }

    private sealed class SilentObserver : ICheckerObserver;

    [LoggerMessage(EventId = 6010, Level = LogLevel.Information, Message = "Checker {Address} admitted on network {Network}")]
    private static partial void LogAdmitted(ILogger logger, string address, string network);

    [LoggerMessage(EventId = 6011, Level = LogLevel.Warning, Message = "Stream ended: {Reason}; reconnecting")]
    private static partial void LogSessionEnded(ILogger logger, string reason);

    [LoggerMessage(EventId = 6012, Level = LogLevel.Debug, Message = "Check {CheckId}: {Kind} of host {HostId} assigned")]
    private static partial void LogAssigned(ILogger logger, string checkId, string kind, string hostId);

    [LoggerMessage(EventId = 6013, Level = LogLevel.Information, Message = "Check {CheckId}: {Kind} of host {HostId}: {Verdict} ({Reason})")]
    private static partial void LogReported(ILogger logger, string checkId, string kind, string hostId, string verdict, string reason);

    [LoggerMessage(EventId = 6014, Level = LogLevel.Warning, Message = "Check {CheckId}: its deadline passed before its report could go; dropped")]
    private static partial void LogExpired(ILogger logger, string checkId);

    [LoggerMessage(EventId = 6015, Level = LogLevel.Warning, Message = "Check {CheckId}: the coordinator refused the report: {Reason}")]
    private static partial void LogReportRefused(ILogger logger, string checkId, string reason);

    [LoggerMessage(EventId = 6016, Level = LogLevel.Error, Message = "Check {CheckId} crashed")]
    private static partial void LogCheckCrashed(ILogger logger, Exception e, string checkId);
}
