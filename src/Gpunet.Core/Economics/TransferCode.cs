using System.Diagnostics.CodeAnalysis;

namespace Gpunet.Core.Economics;

/// <summary>What a ledger transfer is for: the <c>Code</c> the economics writes on every transfer it plans.</summary>
/// <remarks>The values are stored in the ledger and must never change; tens group related codes.</remarks>
[SuppressMessage("Design", "CA1028", Justification = "The ledger's transfer code is a ushort.")]
public enum TransferCode : ushort
{
    /// <summary>Tokens bridged in to a participant's available balance.</summary>
    Deposit = 10,

    /// <summary>Tokens bridged out of a participant's available balance.</summary>
    Withdrawal = 11,

    /// <summary>Devnet tokens handed out by the faucet.</summary>
    Faucet = 12,

    /// <summary>Available → a container's stake.</summary>
    Stake = 20,

    /// <summary>A container's stake → unbonding.</summary>
    Unstake = 21,

    /// <summary>Unbonding → available, when the unbonding period is over.</summary>
    UnbondingRelease = 22,

    /// <summary>Customer available → lease escrow (prepaid reserve, or an on-demand hold).</summary>
    EscrowHold = 30,

    /// <summary>A customer charge out of lease escrow.</summary>
    EscrowCharge = 31,

    /// <summary>Lease escrow → customer available: unused or not-earned escrow returned.</summary>
    EscrowRefund = 32,

    /// <summary>Lease escrow → the operator's vesting: the host's share of a fee.</summary>
    HostFee = 40,

    /// <summary>Lease escrow → the treasury: the protocol's share of a fee.</summary>
    ProtocolFee = 41,

    /// <summary>Emission pool → the operator's vesting: Proof of Capacity (settlements now pay it in <see cref="Reward"/>).</summary>
    CapacityReward = 50,

    /// <summary>Emission pool → the operator's vesting: Proof of Delivery (settlements now pay it in <see cref="Reward"/>).</summary>
    DeliveryReward = 51,

    /// <summary>Emission pool → the operator's vesting: one container's Proof of Capacity and Proof of Delivery of an
    /// epoch in one transfer (settlements before it wrote the two kinds apart, as 50 and 51).</summary>
    Reward = 53,

    /// <summary>Emission pool → the checker's available: correct reports.</summary>
    CheckerReward = 52,

    /// <summary>Vesting → available, as it vests.</summary>
    VestingRelease = 60,

    /// <summary>Vesting or stake → the slashed account.</summary>
    Slash = 70,

    /// <summary>The host operator's vesting or the container's stake → the customer's available: an SLA credit for a
    /// tiered lease that fell short of its promise.</summary>
    SlaCredit = 71,

    /// <summary>Genesis → the emission pool, once.</summary>
    EmissionSeed = 80,
}
