using Gpunet.Core.Hosts;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;

namespace Gpunet.Core.Economics;

/// <summary>Stake on its way out: it sits in the owner's unbonding account until <paramref name="ReleaseAt"/> (180 days by default after unstaking).</summary>
/// <param name="Id">A unique id, reported back when the entry is released.</param>
/// <param name="Host">The container it was staked for.</param>
public sealed record UnbondingEntry(long Id, Address Owner, HostId Host, TokenAmount Amount, DateTimeOffset ReleaseAt);
