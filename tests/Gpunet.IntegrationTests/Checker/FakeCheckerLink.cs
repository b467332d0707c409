using System.Collections.Concurrent;
using Gpunet.Core.Identity;
using Gpunet.Protocol;
using Grpc.Core;

namespace Gpunet.IntegrationTests.Checker;

/// <summary>The coordinator's side of the checker stream, as small as the checker's tests need (the real one is the
/// coordinator's Verification module): challenge, verify the sign-in, admit or refuse for want of a licence, hand out
/// <see cref="Assignments"/>, and keep what comes back.</summary>
internal sealed class FakeCheckerLink(string network) : CheckerLink.CheckerLinkBase
{
    private static readonly ISignatureScheme Signatures = Secp256k1SignatureScheme.Instance;

    /// <summary>Whether a checker is admitted; otherwise the stream ends PermissionDenied.</summary>
    public bool Licensed { get; set; } = true;

    public ConcurrentQueue<Assignment> Assignments { get; } = new();

    public ConcurrentQueue<CheckReport> Reports { get; } = new();

    public int Heartbeats;

    public override async Task Connect(IAsyncStreamReader<CheckerMessage> requestStream, IServerStreamWriter<CheckerCoordinatorMessage> responseStream,
        ServerCallContext context)
    {
        if (!await requestStream.MoveNext() || requestStream.Current.Hello is not { } hello)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "hello first"));
        const string nonce = "n-1";
        await responseStream.WriteAsync(new CheckerCoordinatorMessage
        {
            Challenge = new Gpunet.Protocol.Challenge { Nonce = nonce, Network = network, Purpose = SignInMessages.CheckerStream },
        });
        if (!await requestStream.MoveNext() || requestStream.Current.Register is not { } register)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "register second"));
        var text = SignInMessages.ForCheckerStream(network, Address.Parse(hello.Address), nonce,
            DateTimeOffset.FromUnixTimeSeconds(register.TimestampUnixSeconds));
        if (!Signatures.Verify(text, register.Signature))
            throw new RpcException(new Status(StatusCode.Unauthenticated, "bad signature"));
        if (!Licensed)
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"{hello.Address} holds no checker licence"));

        await responseStream.WriteAsync(new CheckerCoordinatorMessage { Admitted = new CheckerAdmitted { Network = network, HeartbeatIntervalMs = 100 } });
        while (Assignments.TryDequeue(out var assignment))
            await responseStream.WriteAsync(new CheckerCoordinatorMessage { Assignment = assignment });
        while (await requestStream.MoveNext())
        {
            if (requestStream.Current.Report is { } report)
            {
                Reports.Enqueue(report);
                await responseStream.WriteAsync(new CheckerCoordinatorMessage { ReportAck = new ReportAck { CheckId = report.CheckId, Accepted = true } });
            }
            else if (requestStream.Current.Heartbeat is not null)
            {
                Interlocked.Increment(ref Heartbeats);
            }
        }
    }
}
