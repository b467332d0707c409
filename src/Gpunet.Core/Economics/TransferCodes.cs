namespace Gpunet.Core.Economics;

/// <summary>Names of <see cref="TransferCode"/>s as histories show them: <c>host-fee</c>, <c>escrow-hold</c>, …</summary>
public static class TransferCodes
{
    public static string Name(TransferCode code) => code switch
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
        TransferCode.CheckerReward => "checker-reward",
        TransferCode.VestingRelease => "vesting-release",
        TransferCode.Slash => "slash",
        TransferCode.EmissionSeed => "emission-seed",
        _ => "code-" + ((ushort)code).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
