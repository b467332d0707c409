using Gpunet.Coordinator.Concurrency;
using System.Security.Cryptography;
using Gpunet.Coordinator.Auth;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Marketplace;
using Gpunet.Coordinator.Metering;
using Gpunet.Core.Identity;
using Gpunet.Core.Metering;
using Gpunet.Protocol;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Agents;

/// <summary>The agents' gRPC endpoint: authenticates a stream, registers its host, then takes heartbeats.</summary>
internal sealed partial class AgentLinkService(
    IOptions<AccessOptions> access, IOptions<HostsOptions> hosts,
    Auth.SignInChallenges challenges,
    ISignatureScheme signatures,
    HostRegistration registration,
    HeartbeatCounter counter,
    Market market,
    UsageIntake usage,
    Compliance.ComplianceService compliance,
    Verification.CheckBook checks,
    Verification.ProbeRefusalIntake probeRefusals,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<AgentLinkService> log) : AgentLink.AgentLinkBase
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Longest a usage report waits for the market to apply the lease report sent before it (real time: the
    /// market's pace, not the network's clock).</summary>
    private static readonly TimeSpan ReportWait = TimeSpan.FromSeconds(5);
    private readonly string _networkId = access.Value.NetworkId;
    private readonly TimeSpan _heartbeatInterval = hosts.Value.HeartbeatInterval;

    public override async Task Connect(
        IAsyncStreamReader<AgentMessage> requestStream,
        IServerStreamWriter<CoordinatorMessage> responseStream,
        ServerCallContext context)
    {
        var (entry, session) = await HandshakeAsync(requestStream, responseStream, context);
        var waiting = new WaitingUsage();
        try
        {
            await ReceiveAsync(entry, session, requestStream, waiting);
        }
        catch (OperationCanceledException) when (session.Ended.IsCancellationRequested)
        {
            // The agent went away, the coordinator is stopping, or a newer stream took over.
        }
        catch (IOException)
        {
            // The agent reset its stream (it stopped or lost its connection); the monitor sees the silence.
        }
        finally
        {
            entry.Detach(session);
            await session.DisposeAsync();
            LogDisconnected(log, entry.Id, session.Peer);
            // Reports that waited for a heartbeat are taken with what was heard; the agent is gone, so no answer.
            foreach (var (report, _) in waiting.TakeAll())
            {
                try
                {
                    await usage.TakeAsync(entry, report, CancellationToken.None);
                }
#pragma warning disable CA1031 // the stream is over and nobody waits for the answer: a report that cannot be taken now is logged (its period goes unbilled)
                catch (Exception e)
#pragma warning restore CA1031
                {
                    LogUsageLost(log, e, entry.Id, report.LeaseId, report.Sequence);
                }
            }
        }
    }

    private async Task<(HostEntry, AgentSession)> HandshakeAsync(
        IAsyncStreamReader<AgentMessage> requestStream,
        IServerStreamWriter<CoordinatorMessage> responseStream,
        ServerCallContext context)
    {
        string? nonce = null;
        try
        {
            return await HandshakeCoreAsync(requestStream, responseStream, context, n => nonce = n);
        }
        finally
        {
            // A handshake that ended before its answer was checked leaves no open challenge behind.
            if (nonce is not null)
                challenges.Agents.Cancel(nonce);
        }
    }

    private async Task<(HostEntry, AgentSession)> HandshakeCoreAsync(
        IAsyncStreamReader<AgentMessage> requestStream,
        IServerStreamWriter<CoordinatorMessage> responseStream,
        ServerCallContext context,
        Action<string> issuedNonce)
    {
        using var handshake = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        handshake.CancelAfter(HandshakeTimeout);
        var ct = handshake.Token;

        var hello = (await ReadExpectedAsync(requestStream, AgentMessage.BodyOneofCase.Hello, ct)).Hello;
        using var span = Observability.CoordinatorTelemetry.StartRegistration();
        if (!Address.TryParse(hello.Address, out var address, out var error))
            throw Fail(StatusCode.InvalidArgument, $"hello.address: {error}");

        // The client as the forwarded-headers middleware sees it: a forwarded address only from a trusted proxy.
        var connection = context.GetHttpContext().Connection.RemoteIpAddress;
        var issue = challenges.Agents.TryIssue(address, SignInMessages.AgentStream, _networkId,
            RandomNumberGenerator.GetHexString(32, lowercase: true), ClientSource.Of(connection), time.GetUtcNow());
        var issued = issue.Challenge ?? throw Fail(StatusCode.ResourceExhausted, $"{issue.Refusal.Describe(challenges.Agents)}; retry shortly");
        issuedNonce(issued.Nonce);
        await responseStream.WriteAsync(new CoordinatorMessage
        {
            Challenge = new Protocol.Challenge
            {
                Nonce = issued.Nonce,
                Network = issued.Network,
                Purpose = issued.Purpose,
                IssuedAtUnixSeconds = issued.IssuedAt.ToUnixTimeSeconds(),
                ExpiresAtUnixSeconds = issued.ExpiresAt.ToUnixTimeSeconds(),
            },
        }, ct);

        var register = (await ReadExpectedAsync(requestStream, AgentMessage.BodyOneofCase.Register, ct)).Register;
        var fingerprint = register.Host?.Fingerprint ?? "";
        CanonicalMessage signed;
        try
        {
            signed = SignInMessages.ForAgentStream(_networkId, address, issued.Nonce,
                DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(register.TimestampUnixSeconds, 0, 253402300799)),
                string.IsNullOrEmpty(fingerprint) ? "-" : fingerprint);
        }
        catch (ArgumentException e)
        {
            throw Fail(StatusCode.InvalidArgument, $"register: {e.Message}");
        }

        ChallengeOutcome outcome;
        using (Observability.CoordinatorTelemetry.StartSignatureCheck())
            outcome = challenges.Agents.Redeem(signed, register.Signature, signatures, time.GetUtcNow());
        if (outcome != ChallengeOutcome.Accepted)
        {
            LogRejected(log, address.Value, context.Peer, outcome.Describe());
            throw Fail(StatusCode.Unauthenticated, $"register.signature: {outcome.Describe()}");
        }

        var problems = HostDescriptionValidator.Validate(register.Host);
        if (problems.Count > 0)
            throw Fail(StatusCode.InvalidArgument, string.Join("; ", problems));

        var probe = Verification.ProbeEndpoints.Accept(register.Host!.ProbeEndpoint, connection, out var probeRefusal);
        if (probeRefusal is not null)
            throw Fail(StatusCode.InvalidArgument, probeRefusal);
        HostEntry entry;
        using (Observability.CoordinatorTelemetry.StartHostAdmission())
            entry = await registration.RegisterAsync(address, register.Host!, hello.AgentVersion, connection, ct);
        entry.ProbeEndpoint = probe;
        entry.HoneypotAgent = register.Honeypot;
        checks.Registered(entry.Id);
        // Where the host really is: the public address it connects from (a declared one only where the network trusts it).
        compliance.Locate(entry, connection);
        // Streams end when the coordinator stops, so shutdown does not wait on agents that never hang up.
        var session = new AgentSession(responseStream, context.Peer, time, log, context.CancellationToken, lifetime.ApplicationStopping);
        var previous = entry.Attach(session);
        try
        {
            if (previous is not null)
                await previous.SupersedeAsync("another connection registered this host");

            var (state, reason, _) = entry.Snapshot();
            session.Post(new CoordinatorMessage
            {
                Registered = new Registered
                {
                    HostId = entry.Id,
                    HeartbeatIntervalMs = (int)_heartbeatInterval.TotalMilliseconds,
                    State = state.ToString(),
                    StateReason = reason,
                },
            });
        }
        catch
        {
            // The agent left before it heard it was registered: this session never served, detach it.
            entry.Detach(session);
            await session.DisposeAsync();
            throw;
        }

        usage.Timeline(entry).Heard(time.GetUtcNow().ToUnixTimeMilliseconds());
        LogRegistered(log, entry.Id, address.Value, context.Peer);
        market.Connected(entry, session, [.. register.Leases]);
        return (entry, session);
    }

    /// <summary>The hot path: one iteration per heartbeat (or lease report, batch of log lines, usage report, batch of
    /// refused probes).</summary>
    private async Task ReceiveAsync(HostEntry entry, AgentSession session, IAsyncStreamReader<AgentMessage> requestStream, WaitingUsage waiting)
    {
        var ct = session.Ended;
        var heard = usage.Timeline(entry);
        var refusalAllowance = probeRefusals.Allowance();
        // The latest lease report's application by the market: usage is checked only after the reports sent before it.
        var reported = Task.CompletedTask;
        while (await requestStream.MoveNext(ct))
        {
            var message = requestStream.Current;
            if (message.BodyCase == AgentMessage.BodyOneofCase.UsageReport)
            {
                // A period that ends after the latest heartbeat waits for the next one: only a later heartbeat says the
                // host was there until the period's end. One that ends beyond the clock's skew is answered (refused) now.
                var report = message.UsageReport;
                await AppliedAsync(reported);
                var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
                // Earlier reports of a lease are answered before later ones, or the later would bill their time first.
                await AnswerWaitingAsync(entry, session, waiting, heard, nowMs, ct);
                if (report.ToUnixMs > heard.LastHeardMs && report.ToUnixMs <= nowMs + UsageCheck.MaxSkewMs && waiting.TryAdd(report, nowMs))
                    continue;
                await AnswerUsageAsync(entry, session, report, ct);
                continue;
            }

            if (message.BodyCase == AgentMessage.BodyOneofCase.LeaseReport)
            {
                reported = market.ReportAsync(entry, message.LeaseReport);
                continue;
            }

            if (message.BodyCase == AgentMessage.BodyOneofCase.ProbeRefusals)
            {
                await probeRefusals.TakeAsync(entry.Id, message.ProbeRefusals, refusalAllowance, ct);
                continue;
            }

            if (message.BodyCase == AgentMessage.BodyOneofCase.LeaseLog)
            {
                market.Logs(entry.Id, message.LeaseLog, ack => session.Post(new CoordinatorMessage { LogAck = ack }));
                continue;
            }

            if (message.BodyCase != AgentMessage.BodyOneofCase.Heartbeat)
                throw Fail(StatusCode.FailedPrecondition, $"expected heartbeat, got {message.BodyCase}; open a new stream to register again");

            var heartbeat = message.Heartbeat;
            var now = time.GetUtcNow();
            entry.RecordHeartbeat(heartbeat, now.UtcTicks);
            heard.Heard(now.ToUnixTimeMilliseconds());
            counter.Increment();
            if (waiting.Count > 0)
            {
                await AppliedAsync(reported);
                await AnswerWaitingAsync(entry, session, waiting, heard, now.ToUnixTimeMilliseconds(), ct);
            }
            if (heartbeat.AckRequested)
                session.Post(new CoordinatorMessage { HeartbeatAck = new HeartbeatAck { Sequence = heartbeat.Sequence } });
        }
    }

    /// <summary>Waits for the market to apply the stream's latest lease report, at most <see cref="ReportWait"/>: a market
    /// stalled longer (its work gives up after 30 s) must not stop this stream's heartbeats being read, or the host
    /// would look silent; usage checked after the wait is checked against the store as it stands.</summary>
    private static async Task AppliedAsync(Task reported)
    {
        if (reported.IsCompleted)
            return;
        try
        {
            await reported.WaitAsync(ReportWait);
        }
        catch (TimeoutException)
        {
        }
    }

    private async Task AnswerUsageAsync(HostEntry entry, AgentSession session, UsageReport report, CancellationToken ct)
    {
        var ack = await usage.TakeAsync(entry, report, ct);
        session.Post(new CoordinatorMessage { UsageAck = ack });
    }

    /// <summary>Answers the waiting reports whose period the latest heartbeat covers, and those that waited longer than a
    /// heard gap (the host fell silent: the unheard part is not billed).</summary>
    private async Task AnswerWaitingAsync(HostEntry entry, AgentSession session, WaitingUsage waiting, HeardTimeline heard, long nowMs, CancellationToken ct)
    {
        if (waiting.Count == 0)
            return;
        foreach (var report in waiting.TakeReady(heard.LastHeardMs, nowMs - heard.MaxGapMs))
            await AnswerUsageAsync(entry, session, report, ct);
    }

    private static Task<AgentMessage> ReadExpectedAsync(IAsyncStreamReader<AgentMessage> stream, AgentMessage.BodyOneofCase expected, CancellationToken ct) =>
        StreamHandshake.ReadExpectedAsync(stream, m => m.BodyCase, expected, HandshakeTimeout, ct);

    private static RpcException Fail(StatusCode code, string detail) => new(new Status(code, detail));

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Host {HostId} registered by {Address} from {Peer}")]
    private static partial void LogRegistered(ILogger logger, string hostId, string address, string peer);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Agent stream from {Address} at {Peer} refused: {Reason}")]
    private static partial void LogRejected(ILogger logger, string address, string peer, string reason);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Usage report {Sequence} of lease {LeaseId} from host {HostId} could not be taken after its stream ended")]
    private static partial void LogUsageLost(ILogger logger, Exception exception, string hostId, string leaseId, long sequence);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "Host {HostId} disconnected ({Peer})")]
    private static partial void LogDisconnected(ILogger logger, string hostId, string peer);
}
