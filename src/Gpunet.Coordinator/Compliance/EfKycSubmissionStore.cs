using Gpunet.Coordinator.Storage;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Compliance;

/// <summary>The KYC/KYB submissions in the coordinator's database.</summary>
internal sealed class EfKycSubmissionStore(IDbContextFactory<GpunetDb> dbFactory) : IKycSubmissionStore
{
    public async Task<IReadOnlyList<KycSubmissionRecord>> AllAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.KycSubmissions.AsNoTracking().ToListAsync(ct);
    }

    public async Task<IReadOnlyList<KycSubmissionRecord>> FindAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.KycSubmissions.AsNoTracking().Where(x => ids.Contains(x.Id)).ToListAsync(ct);
    }
}
