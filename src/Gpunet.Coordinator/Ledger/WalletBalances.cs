using Gpunet.Coordinator.Hosts;
using Gpunet.Core.Hosts;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;

namespace Gpunet.Coordinator.Ledger;

/// <summary>A participant's balances read from the ledger into the wallet API's <see cref="WalletView"/>.</summary>
internal static class WalletBalances
{
    extension(WalletView)
    {
        /// <summary>Every account of the participant: their four, and each of their hosts' stake.</summary>
        public static List<AccountKey> Keys(Address address, HostRegistry registry) => Keys(address, [.. registry.OwnedBy(address)]);

        // One read of the participant's hosts: the stakes are read at the positions of this list.
        private static List<AccountKey> Keys(Address address, IReadOnlyList<HostEntry> owned)
        {
            var keys = new List<AccountKey>
            {
                AccountKey.Participant(address, AccountPurpose.Available),
                AccountKey.Participant(address, AccountPurpose.Staked),
                AccountKey.Participant(address, AccountPurpose.Unbonding),
                AccountKey.Participant(address, AccountPurpose.Vesting),
            };
            foreach (var host in owned)
                keys.Add(AccountKey.HostStake(HostId.TryParse(host.Id, out var id) ? id.Value : throw new InvalidOperationException(host.Id)));
            return keys;
        }

        /// <summary>The participant's balances now, each host's stake with what its GPUs require (the first
        /// <see cref="ShortLists.WalletHosts"/> hosts by id; <c>staked</c> counts them all).</summary>
        public static async Task<WalletView> ReadAsync(Address address, LedgerService ledger, HostRegistry registry, HostStakes stakes, CancellationToken ct)
        {
            var owned = registry.OwnedBy(address).ToList();
            var keys = Keys(address, owned);
            var accounts = await ledger.AccountsAsync(keys, ct);
            TokenAmount Balance(int i) => accounts[i]?.Balance ?? TokenAmount.Zero;
            var hosts = owned.Select((h, i) =>
            {
                var staked = Balance(4 + i);
                var required = stakes.Required(h);
                return new HostStakeView(h.Id, staked.ToString(), required.ToString(), staked >= required);
            }).ToList();
            var stakedTotal = hosts.Aggregate(Balance(1), (sum, h) => sum + TokenAmount.Parse(h.Staked));
            var (listed, unlisted) = ShortLists.Cut(hosts, ShortLists.WalletHosts);
            var held = TokenAmount.FromBaseUnits(accounts[0]?.DebitsPending ?? 0);
            return new WalletView(address.Value, (accounts[0]?.Available ?? TokenAmount.Zero).ToString(), held.ToString(), stakedTotal.ToString(),
                Balance(2).ToString(), Balance(3).ToString(), listed) { HostsUnlisted = unlisted };
        }
    }
}
