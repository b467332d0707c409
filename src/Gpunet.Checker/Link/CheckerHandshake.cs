using Gpunet.Core.Identity;
using Gpunet.Protocol;
using Grpc.Core;

namespace Gpunet.Checker.Link;

/// <summary>The checker's side of opening its stream: hello, answer the challenge with a signature, be admitted.</summary>
internal static class CheckerHandshake
{
    /// <summary>Runs the handshake on a fresh call and returns the coordinator's admission.</summary>
    /// <exception cref="RpcException">The stream ended (PermissionDenied: no licence) or a message came out of turn.</exception>
    public static async Task<CheckerAdmitted> RunAsync(AsyncDuplexStreamingCall<CheckerMessage, CheckerCoordinatorMessage> call,
        Wallet wallet, CheckerOptions options, string version, TimeProvider time, CancellationToken ct)
    {
        await call.RequestStream.WriteAsync(new CheckerMessage
        {
            Hello = new CheckerHello
            {
                Address = wallet.Address.Value,
                Version = version,
                Latitude = options.Latitude,
                Longitude = options.Longitude,
                Country = options.Country,
            },
        }, ct);
        var challenge = (await NextAsync(call, CheckerCoordinatorMessage.BodyOneofCase.Challenge, ct)).Challenge;
        var message = SignInMessages.ForCheckerStream(challenge.Network, wallet.Address, challenge.Nonce, time.GetUtcNow());
        await call.RequestStream.WriteAsync(new CheckerMessage
        {
            Register = new CheckerRegister { TimestampUnixSeconds = message.Timestamp.ToUnixTimeSeconds(), Signature = wallet.Sign(message) },
        }, ct);
        return (await NextAsync(call, CheckerCoordinatorMessage.BodyOneofCase.Admitted, ct)).Admitted;
    }

    private static async Task<CheckerCoordinatorMessage> NextAsync(AsyncDuplexStreamingCall<CheckerMessage, CheckerCoordinatorMessage> call,
        CheckerCoordinatorMessage.BodyOneofCase expected, CancellationToken ct)
    {
        if (!await call.ResponseStream.MoveNext(ct))
            throw new RpcException(new Status(StatusCode.Unavailable, $"the coordinator closed the stream before {expected}"));
        var m = call.ResponseStream.Current;
        if (m.BodyCase != expected)
            throw new RpcException(new Status(StatusCode.Internal, $"protocol error: expected {expected}, got {m.BodyCase}"));
        return m;
    }
}
