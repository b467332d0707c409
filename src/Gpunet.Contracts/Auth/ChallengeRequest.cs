using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Auth;

/// <summary>A request for a sign-in challenge for a wallet.</summary>
public sealed record ChallengeRequest(
    [property: Description("Your wallet address, 0x + 40 hex digits"), Required, RegularExpression(ApiPatterns.Address)] string? Address);
