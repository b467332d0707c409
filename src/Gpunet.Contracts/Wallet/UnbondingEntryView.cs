using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Wallet;

/// <summary>Stake on its way out: unstaked from <c>host</c> at <c>since</c>, it becomes available at <c>availableAt</c>
/// (the first settlement after that moves it).</summary>
public sealed record UnbondingEntryView(
    [property: RegularExpression(ApiPatterns.HostId)] string Host,
    [property: RegularExpression(ApiPatterns.TokenAmount)] string Amount,
    DateTimeOffset Since,
    DateTimeOffset AvailableAt);
