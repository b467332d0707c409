using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Wallet;

/// <summary>A participant's balances. <c>available</c> can be spent; <c>held</c> is reserved for running leases
/// (part of the balance, not spendable); each host's stake is shown with what its GPUs require. <c>unbondingSchedule</c>
/// (soonest first) and <c>vestingSchedule</c> (oldest first) list what makes up <c>unbonding</c> and <c>vesting</c>, at
/// most 200 entries each. <c>hosts</c> lists the participant's first 1,000 hosts by id (<c>staked</c> counts every host's
/// stake) and <c>hostsUnlisted</c> counts the rest (null when all are listed).</summary>
public sealed record WalletView(
    [property: RegularExpression(ApiPatterns.Address)] string Address,
    [property: RegularExpression(ApiPatterns.TokenAmount)] string Available,
    [property: RegularExpression(ApiPatterns.TokenAmount)] string Held,
    [property: RegularExpression(ApiPatterns.TokenAmount)] string Staked,
    [property: RegularExpression(ApiPatterns.TokenAmount)] string Unbonding,
    [property: RegularExpression(ApiPatterns.TokenAmount)] string Vesting,
    [property: MaxLength(ShortLists.WalletHosts)] IReadOnlyList<HostStakeView> Hosts,
    [property: MaxLength(ShortLists.ScheduleEntries)] IReadOnlyList<UnbondingEntryView>? UnbondingSchedule = null,
    [property: MaxLength(ShortLists.ScheduleEntries)] IReadOnlyList<VestingTrancheView>? VestingSchedule = null,
    int? HostsUnlisted = null);
