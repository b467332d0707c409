namespace Gpunet.Core.Ledger;

/// <summary>Helpers over <see cref="TransferResult"/>.</summary>
public static class TransferResultExtensions
{
    /// <summary>True for <see cref="TransferResult.Ok"/> and <see cref="TransferResult.Exists"/>: the transfer is in the ledger.</summary>
    public static bool IsSuccess(this TransferResult result) => result is TransferResult.Ok or TransferResult.Exists;
}
