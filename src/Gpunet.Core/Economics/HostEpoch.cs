using Gpunet.Core.Hosts;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;

namespace Gpunet.Core.Economics;

/// <summary>One container's epoch, as the coordinator measured it: its stake, its verified capacity and what it did.</summary>
/// <param name="Operator">The wallet that runs the container; its rewards and fees vest there.</param>
/// <param name="RequiredStake">K × coefficient over its GPUs (<see cref="StakeTable.RequiredStake"/>).</param>
/// <param name="Staked">The balance of its <c>host:HOST-ID:staked</c> account at the end of the epoch.</param>
/// <param name="CapacityUnits">Its verified capacity weight, e.g. Σ K of its GPUs in whole tokens.</param>
/// <param name="UptimeSeconds">Seconds it was heard and Ready in the epoch; offline time earns nothing.</param>
/// <param name="ServedGpuSeconds">GPU-seconds it served customers to standard (Proof of Delivery).</param>
public sealed record HostEpoch(
    HostId Host,
    Address Operator,
    TokenAmount RequiredStake,
    TokenAmount Staked,
    long CapacityUnits,
    long UptimeSeconds,
    long ServedGpuSeconds);
