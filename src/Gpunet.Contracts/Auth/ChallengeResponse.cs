using System.ComponentModel;

namespace Gpunet.Contracts.Auth;

// A single-use sign-in challenge: the message to sign with the wallet, and when it expires.
public sealed record ChallengeResponse(string Nonce, string Network, string Purpose, long Timestamp, DateTimeOffset ExpiresAt,
    [property: Description("The exact text to sign (EIP-191 personal_sign) if you keep Timestamp as given")] string Message);
