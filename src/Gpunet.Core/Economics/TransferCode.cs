namespace Gpunet.Core.Economics;

/// <summary>What a transfer is for; stored with it and shown in an account's history.</summary>
public enum TransferCode : ushort
{
    Deposit = 10,
    Withdrawal = 11,
    Faucet = 12,
    Stake = 20,
    Unstake = 21,
    UnbondingRelease = 22,
    EscrowHold = 30,
    EscrowCharge = 31,
    EscrowRefund = 32,
    HostFee = 40,
    ProtocolFee = 41,
    CapacityReward = 50,
    DeliveryReward = 51,
    CheckerReward = 52,
    VestingRelease = 60,
    Slash = 70,
    EmissionSeed = 80,
}
