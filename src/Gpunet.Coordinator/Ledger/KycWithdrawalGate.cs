using Gpunet.Core.Identity;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Ledger;

/// <summary>Until the compliance service records KYC decisions, nobody has approved KYC, so nobody may withdraw, except
/// on a network configured to treat every participant as approved (<see cref="CoordinatorOptions.ApproveAllKyc"/>: the devnet).</summary>
internal sealed class KycWithdrawalGate(IOptions<CoordinatorOptions> options) : IWithdrawalGate
{
    public Task<string?> BlockedAsync(Address participant, CancellationToken ct) => Task.FromResult(options.Value.ApproveAllKyc
        ? null
        : $"withdrawals need approved KYC, and {participant} has none on this network");
}
