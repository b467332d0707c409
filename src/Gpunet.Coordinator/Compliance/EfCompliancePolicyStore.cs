using Gpunet.Coordinator.Storage;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Compliance;

/// <summary>The policies and sanctions lists in the coordinator's database.</summary>
internal sealed class EfCompliancePolicyStore(IDbContextFactory<GpunetDb> dbFactory) : ICompliancePolicyStore
{
    public async Task<CompliancePolicyRecord?> LatestPolicyAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.CompliancePolicies.AsNoTracking().OrderByDescending(p => p.Id).FirstOrDefaultAsync(ct);
    }

    public async Task<SanctionsListRecord?> LatestSanctionsListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.SanctionsLists.AsNoTracking().OrderByDescending(l => l.Id).FirstOrDefaultAsync(ct);
    }
}
