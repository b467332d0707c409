using Gpunet.Coordinator.Marketplace;

namespace Gpunet.Coordinator.Ledger;

/// <summary>Ends unfunded leases through the market, like every other lease end.</summary>
internal sealed class MarketLeaseEnding(Market market) : IUnfundedLeaseEnding
{
    public Task EndForFundsAsync(string leaseId, string detail) => market.EndForFundsAsync(leaseId, detail);
}
