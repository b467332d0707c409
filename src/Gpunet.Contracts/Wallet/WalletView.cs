using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Wallet;

/// <summary>A participant's balances. <c>available</c> can be spent; <c>held</c> is reserved for running leases
/// (part of the balance, not spendable); each host's stake is shown with what its GPUs require.</summary>
public sealed record WalletView(
    [property: RegularExpression(ApiPatterns.Address)] string Address,
    [property: RegularExpression(ApiPatterns.TokenAmount)] string Available,
    [property: RegularExpression(ApiPatterns.TokenAmount)] string Held,
    [property: RegularExpression(ApiPatterns.TokenAmount)] string Staked,
    [property: RegularExpression(ApiPatterns.TokenAmount)] string Unbonding,
    [property: RegularExpression(ApiPatterns.TokenAmount)] string Vesting,
    IReadOnlyList<HostStakeView> Hosts);
