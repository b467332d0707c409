using Gpunet.Coordinator.Hosts;
using Gpunet.Core.Economics;
using Gpunet.Core.Ledger;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Ledger;

/// <summary>A container's stake against what its GPUs require: what the matcher, the host views and the wallet agree on.</summary>
internal sealed class HostStakes(LedgerService ledger, StakeTable table, IOptions<LedgerOptions> options)
{
    public TokenAmount Staked(HostEntry host) => ledger.StakeOf(host.Id);

    public TokenAmount Required(HostEntry host) => table.RequiredStake(host.Record.Gpus.Select(g => g.Model));

    /// <summary>True while the network requires stake and this container's is short: it is not matched.</summary>
    public bool Paused(HostEntry host) => options.Value.RequireStake && Staked(host) < Required(host);
}
