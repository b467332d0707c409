using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Auth;

// A request for a sign-in challenge for a wallet.
public sealed record ChallengeRequest(
    [property: Description("Your wallet address, 0x + 40 hex digits"), Required, RegularExpression(ApiPatterns.Address)] string? Address);
