using System.Globalization;
using Gpunet.Coordinator.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gpunet.IntegrationTests.Support;

/// <summary>Hosts written straight into a coordinator's store (as the benches seed theirs), one H100 each, all run by one
/// operator: a coordinator started on the store afterwards loads them.</summary>
internal static class SeededHosts
{
    /// <summary>The id of seeded host <paramref name="i"/>: host- and i in 12 hex digits.</summary>
    public static string Id(int i) => "host-" + i.ToString("x12", CultureInfo.InvariantCulture);

    public static async Task WriteAsync(TestCoordinator c, string operatorAddress, int count, string state, string country = "DE")
    {
        await using var db = await c.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>().CreateDbContextAsync();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < count; i++)
        {
            var id = Id(i);
            var host = new HostRecord
            {
                Id = id, Address = operatorAddress, Fingerprint = "seed-" + id, Hostname = id, Country = country, State = state,
                StateSince = now, RegisteredAt = now, LastHeardAt = now, HeardSince = now, Simulated = true,
            };
            host.Gpus.Add(new GpuRecord { HostId = id, Index = 0, Uuid = "GPU-" + id, Model = "H100-SXM5-80GB", MemoryTotalMib = 81_559 });
            db.Hosts.Add(host);
        }

        await db.SaveChangesAsync();
    }
}
