using Gpunet.Core.Identity;
using Gpunet.Protocol;
using Grpc.Core;

namespace Gpunet.Agent.Link;

/// <summary>The agent's side of opening a stream: hello, answer the challenge with a signature, get registered.</summary>
public static class AgentHandshake
{
    /// <summary>Runs the handshake on a fresh call and returns the coordinator's <see cref="Registered"/> answer.</summary>
    /// <param name="leases">What became of every lease the agent knows of, so nothing is lost across a broken stream.</param>
    /// <param name="network">Told the network id the coordinator named in its challenge (the agent signs usage for it).</param>
    public static async Task<Registered> RunAsync(
        AsyncDuplexStreamingCall<AgentMessage, CoordinatorMessage> call,
        Wallet wallet,
        HostDescription host,
        string agentVersion,
        TimeProvider time,
        CancellationToken ct,
        IEnumerable<LeaseReport>? leases = null,
        Action<string>? network = null,
        bool honeypot = false)
    {
        await call.RequestStream.WriteAsync(new AgentMessage
        {
            Hello = new Hello { Address = wallet.Address.Value, AgentVersion = agentVersion },
        }, ct);
        var challenge = (await NextAsync(call, CoordinatorMessage.BodyOneofCase.Challenge, ct)).Challenge;

        network?.Invoke(challenge.Network);
        var timestamp = time.GetUtcNow();
        var message = SignInMessages.ForAgentStream(challenge.Network, wallet.Address, challenge.Nonce, timestamp, host.Fingerprint);
        var register = new Register
        {
            TimestampUnixSeconds = message.Timestamp.ToUnixTimeSeconds(),
            Signature = wallet.Sign(message),
            Host = host,
            Honeypot = honeypot,
        };
        if (leases is not null)
            register.Leases.AddRange(leases);
        await call.RequestStream.WriteAsync(new AgentMessage { Register = register }, ct);
        return (await NextAsync(call, CoordinatorMessage.BodyOneofCase.Registered, ct)).Registered;
    }

    private static async Task<CoordinatorMessage> NextAsync(
        AsyncDuplexStreamingCall<AgentMessage, CoordinatorMessage> call, CoordinatorMessage.BodyOneofCase expected, CancellationToken ct)
    {
        if (!await call.ResponseStream.MoveNext(ct))
            throw new RpcException(new Status(StatusCode.Unavailable, $"the coordinator closed the stream before {expected}"));
        var m = call.ResponseStream.Current;
        if (m.BodyCase != expected)
            throw new RpcException(new Status(StatusCode.Internal, $"protocol error: expected {expected}, got {m.BodyCase}"));
        return m;
    }
}
