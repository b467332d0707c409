using Gpunet.Core.Ledger;

namespace Gpunet.Core.Compliance;

/// <summary>What the order gate needs to know about a host an order could be placed on.</summary>
/// <param name="HostId">The host (named in a stake refusal).</param>
/// <param name="GpuModel">The canonical model of the GPUs it offers.</param>
/// <param name="Country">Its declared country.</param>
/// <param name="Region">Its declared region; may be empty.</param>
/// <param name="LocationConfirmed">Whether its address confirms its country (or an officer cleared it); only read when the
/// order asks for a residency (<see cref="OrderGate.NeedsConfirmedLocation"/>).</param>
/// <param name="Staked">What it has staked; only read when the gate needs stake (<see cref="OrderGate.NeedsStake"/>).</param>
/// <param name="RequiredStake">What it must stake to be matched.</param>
public readonly record struct CandidateHost(
    string HostId, string GpuModel, string Country, string Region, bool LocationConfirmed, TokenAmount Staked, TokenAmount RequiredStake);
