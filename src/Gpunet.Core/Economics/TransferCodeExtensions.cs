namespace Gpunet.Core.Economics;

/// <summary>Helpers over <see cref="TransferCode"/>.</summary>
public static class TransferCodeExtensions
{
    /// <summary>The code's kebab-case name for history output: <c>host-fee</c>, <c>vesting-release</c>, …; the number for an unknown code.</summary>
    public static string Name(this TransferCode code) => code switch
    {
        TransferCode.Deposit => "deposit",
        TransferCode.Withdrawal => "withdrawal",
        TransferCode.Faucet => "faucet",
        TransferCode.Stake => "stake",
        TransferCode.Unstake => "unstake",
        TransferCode.UnbondingRelease => "unbonding-release",
        TransferCode.EscrowHold => "escrow-hold",
        TransferCode.EscrowCharge => "escrow-charge",
        TransferCode.EscrowRefund => "escrow-refund",
        TransferCode.HostFee => "host-fee",
        TransferCode.ProtocolFee => "protocol-fee",
        TransferCode.CapacityReward => "capacity-reward",
        TransferCode.DeliveryReward => "delivery-reward",
        TransferCode.Reward => "reward",
        TransferCode.CheckerReward => "checker-reward",
        TransferCode.VestingRelease => "vesting-release",
        TransferCode.Slash => "slash",
        TransferCode.SlaCredit => "sla-credit",
        TransferCode.EmissionSeed => "emission-seed",
        _ => ((ushort)code).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
