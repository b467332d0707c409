using Gpunet.Core.Identity;

namespace Gpunet.Coordinator.Ledger;

/// <summary>Decides whether a participant may withdraw: withdrawals need approved KYC. The compliance service plugs in here.</summary>
internal interface IWithdrawalGate
{
    /// <summary>Null when the participant may withdraw; otherwise why not.</summary>
    Task<string?> BlockedAsync(Address participant, CancellationToken ct);
}
