using Gpunet.Coordinator.Concurrency;
using System.Security.Cryptography;
using Gpunet.Coordinator.Auth;
using Gpunet.Core.Geography;
using Gpunet.Core.Identity;
using Gpunet.Core.Verification;
using Gpunet.Protocol;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Verification;

/// <summary>The checkers' gRPC endpoint: authenticates a stream, admits it only with an active licence, then takes
/// reports (the scheduler sends assignments through the roster).</summary>
internal sealed partial class CheckerLinkService(
    IOptions<AccessOptions> access, IOptions<VerificationOptions> options,
    SignInChallenges challenges, ISignatureScheme signatures, CheckerLicences licences, CheckerRoster roster,
    ReportIntake intake, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<CheckerLinkService> log)
    : CheckerLink.CheckerLinkBase
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Refused reports one stream may send before it is closed: a checker that keeps sending them is broken or
    /// hostile, and each refusal is a store write.</summary>
    public const int RefusalsPerStream = 20;

    private readonly string _networkId = access.Value.NetworkId;

    public override async Task Connect(IAsyncStreamReader<CheckerMessage> requestStream,
        IServerStreamWriter<CheckerCoordinatorMessage> responseStream, ServerCallContext context)
    {
        var session = await HandshakeAsync(requestStream, responseStream, context);
        var previous = roster.Attach(session);
        // Another stream of this checker took over: the older one ends (its checks' reports come on the newer).
        previous?.Close();
        LogAdmitted(log, session.Address.Value, session.Peer);
        var refused = 0;
        try
        {
            while (await requestStream.MoveNext(session.Ended))
            {
                var message = requestStream.Current;
                switch (message.BodyCase)
                {
                    case CheckerMessage.BodyOneofCase.Heartbeat:
                        continue;
                    case CheckerMessage.BodyOneofCase.Report:
                        var ack = await intake.TakeAsync(session, message.Report, session.Ended);
                        session.Post(new CheckerCoordinatorMessage { ReportAck = ack });
                        if (!ack.Accepted && ++refused >= RefusalsPerStream)
                            throw Fail(StatusCode.ResourceExhausted, $"{RefusalsPerStream} refused reports on this stream; reconnect");
                        continue;
                    default:
                        throw Fail(StatusCode.FailedPrecondition, $"expected a report or heartbeat, got {message.BodyCase}");
                }
            }
        }
        catch (OperationCanceledException) when (session.Ended.IsCancellationRequested)
        {
            // The checker went away, the coordinator is stopping, or a newer stream took over.
        }
        catch (IOException)
        {
            // The checker reset its stream; its open checks are decided without its reports at their deadlines.
        }
        finally
        {
            roster.Detach(session);
            await session.DisposeAsync();
            LogDisconnected(log, session.Address.Value, session.Peer);
        }
    }

    private async Task<CheckerSession> HandshakeAsync(IAsyncStreamReader<CheckerMessage> requestStream,
        IServerStreamWriter<CheckerCoordinatorMessage> responseStream, ServerCallContext context)
    {
        using var handshake = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        handshake.CancelAfter(HandshakeTimeout);
        var ct = handshake.Token;
        var hello = (await ReadExpectedAsync(requestStream, CheckerMessage.BodyOneofCase.Hello, ct)).Hello;
        if (!Address.TryParse(hello.Address, out var address, out var error))
            throw Fail(StatusCode.InvalidArgument, $"hello.address: {error}");
        LocationPoint at;
        try
        {
            at = LocationPoint.Create(hello.Latitude, hello.Longitude);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw Fail(StatusCode.InvalidArgument, $"hello.{e.ParamName}: {e.Message.Split(" (Parameter")[0]}");
        }

        if (!CountryCode.TryParse(hello.Country, out var country, out var countryError))
            throw Fail(StatusCode.InvalidArgument, $"hello.country: {countryError}");

        var connection = context.GetHttpContext().Connection.RemoteIpAddress;
        var issue = challenges.Agents.TryIssue(address, SignInMessages.CheckerStream, _networkId,
            RandomNumberGenerator.GetHexString(32, lowercase: true), ClientSource.Of(connection), time.GetUtcNow());
        var issued = issue.Challenge ?? throw Fail(StatusCode.ResourceExhausted, $"{issue.Refusal.Describe(challenges.Agents)}; retry shortly");
        try
        {
            await responseStream.WriteAsync(new CheckerCoordinatorMessage
            {
                Challenge = new Protocol.Challenge
                {
                    Nonce = issued.Nonce, Network = issued.Network, Purpose = issued.Purpose,
                    IssuedAtUnixSeconds = issued.IssuedAt.ToUnixTimeSeconds(), ExpiresAtUnixSeconds = issued.ExpiresAt.ToUnixTimeSeconds(),
                },
            }, ct);
            var register = (await ReadExpectedAsync(requestStream, CheckerMessage.BodyOneofCase.Register, ct)).Register;
            var signed = SignInMessages.ForCheckerStream(_networkId, address, issued.Nonce,
                DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(register.TimestampUnixSeconds, 0, 253402300799)));
            var outcome = challenges.Agents.Redeem(signed, register.Signature, signatures, time.GetUtcNow());
            if (outcome != ChallengeOutcome.Accepted)
                throw Fail(StatusCode.Unauthenticated, $"register.signature: {outcome.Describe()}");
        }
        finally
        {
            challenges.Agents.Cancel(issued.Nonce);
        }

        if (!await licences.IsLicensedAsync(address.Value, ct))
        {
            LogUnlicensed(log, address.Value, context.Peer);
            throw Fail(StatusCode.PermissionDenied, $"{address.Value} holds no checker licence; the network operator grants one with `gpunet checkers grant {address.Value}`");
        }

        var session = new CheckerSession(address, at, country, responseStream, context.Peer, time, log, context.CancellationToken, lifetime.ApplicationStopping);
        session.Post(new CheckerCoordinatorMessage
        {
            Admitted = new CheckerAdmitted { Network = _networkId, HeartbeatIntervalMs = (int)options.Value.CheckerHeartbeatInterval.TotalMilliseconds },
        });
        return session;
    }

    private static Task<CheckerMessage> ReadExpectedAsync(IAsyncStreamReader<CheckerMessage> stream, CheckerMessage.BodyOneofCase expected, CancellationToken ct) =>
        StreamHandshake.ReadExpectedAsync(stream, m => m.BodyCase, expected, HandshakeTimeout, ct);

    private static RpcException Fail(StatusCode code, string detail) => new(new Status(code, detail));

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Checker {Address} connected from {Peer}")]
    private static partial void LogAdmitted(ILogger logger, string address, string peer);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "Checker stream from {Address} at {Peer} refused: no licence")]
    private static partial void LogUnlicensed(ILogger logger, string address, string peer);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Debug, Message = "Checker {Address} disconnected ({Peer})")]
    private static partial void LogDisconnected(ILogger logger, string address, string peer);
}
