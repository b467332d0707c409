using System.ComponentModel.DataAnnotations;
using System.ComponentModel;

namespace Gpunet.Contracts.Auth;

// A single-use sign-in challenge: the message to sign with the wallet, and when it expires.
public sealed record ChallengeResponse([property: MaxLength(TextLimits.Label)] string Nonce, [property: MaxLength(TextLimits.Label)] string Network, [property: MaxLength(TextLimits.Label)] string Purpose, long Timestamp, DateTimeOffset ExpiresAt,
    [property: Description("The exact text to sign (EIP-191 personal_sign) if you keep Timestamp as given"), MaxLength(TextLimits.Reason)] string Message);
