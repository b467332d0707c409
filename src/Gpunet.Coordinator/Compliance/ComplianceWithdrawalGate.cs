using Gpunet.Coordinator.Ledger;
using Gpunet.Core.Identity;

namespace Gpunet.Coordinator.Compliance;

/// <summary>Withdrawals need approved KYC (an approval past its validity does not count).</summary>
internal sealed class ComplianceWithdrawalGate(ComplianceService compliance) : IWithdrawalGate
{
    public Task<string?> BlockedAsync(Address participant, CancellationToken ct)
    {
        var kyc = compliance.KycOf(participant.Value);
        return Task.FromResult(kyc.Approved
            ? null
            : $"withdrawals need approved KYC; {participant}'s is {kyc.State.ToString().ToLowerInvariant()}{(kyc.SubmissionId is null ? " (submit with gpunet kyc submit)" : "")}");
    }
}
