namespace Gpunet.Core.Identity;

/// <summary>The canonical messages participants sign to prove who they are.</summary>
public static class SignInMessages
{
    /// <summary>Purpose of the message an agent signs to open its stream.</summary>
    public const string AgentStream = "agent-stream";

    /// <summary>Purpose of the message a checker signs to open its stream.</summary>
    public const string CheckerStream = "checker-stream";

    /// <summary>Purpose of the message a customer (or any wallet) signs for a bearer token.</summary>
    public const string ApiToken = "api-token";

    /// <summary>What an agent signs: the challenge, bound to the hardware fingerprint it registers.</summary>
    public static CanonicalMessage ForAgentStream(string network, Address address, string nonce, DateTimeOffset timestamp, string fingerprint) =>
        CanonicalMessage.Create(AgentStream, network, address, nonce, timestamp, [new("fingerprint", fingerprint)]);

    /// <summary>What a checker signs: the challenge, nothing more (its licence is looked up by address).</summary>
    public static CanonicalMessage ForCheckerStream(string network, Address address, string nonce, DateTimeOffset timestamp) =>
        CanonicalMessage.Create(CheckerStream, network, address, nonce, timestamp);

    /// <summary>What a wallet signs to get an API bearer token.</summary>
    public static CanonicalMessage ForApiToken(string network, Address address, string nonce, DateTimeOffset timestamp) =>
        CanonicalMessage.Create(ApiToken, network, address, nonce, timestamp);
}
