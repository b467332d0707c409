using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Wallet;

/// <summary>One host's stake: <c>fullyStaked</c> hosts can be matched.</summary>
public sealed record HostStakeView(
    [property: RegularExpression(ApiPatterns.HostId)] string Host,
    [property: RegularExpression(ApiPatterns.TokenAmount)] string Staked,
    [property: RegularExpression(ApiPatterns.TokenAmount)] string Required,
    bool FullyStaked);
