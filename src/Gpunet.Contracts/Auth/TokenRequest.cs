using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Auth;

// A signed challenge, traded for a bearer token.
public sealed record TokenRequest(
    [property: Required, RegularExpression(ApiPatterns.Address)] string? Address,
    [property: Description("The challenge's nonce"), Required, StringLength(128, MinimumLength = 1)] string? Nonce,
    [property: Description("The challenge's timestamp, unix seconds"), Required, Range(0, 253402300799)] long? Timestamp,
    [property: Description("The EIP-191 personal_sign signature of the challenge's message: 65 bytes (r, s, v) in hex"), Required,
        RegularExpression("^(0x)?[0-9a-fA-F]{130}$")] string? Signature);
