using Gpunet.Contracts.Console;
using Gpunet.Coordinator.Auth;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Marketplace;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Geography;
using Gpunet.Core.Hosts;
using Gpunet.Core.Verification;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Console;

/// <summary>The live network view every open console shows, counted at most once per
/// <see cref="ConsoleOptions.AtlasInterval"/> however many consoles ask: one pass over the registry, one indexed count
/// of the minute's checks.</summary>
internal sealed class NetworkAtlases(
    HostRegistry registry, HostMonitor monitor, Market market, IDbContextFactory<GpunetDb> dbFactory, IOptions<AccessOptions> access,
    IOptions<ConsoleOptions> options, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _counting = new(1, 1);
    private NetworkAtlasView? _last;

    /// <summary>The view as of at most one interval ago.</summary>
    public async Task<NetworkAtlasView> CurrentAsync(CancellationToken ct)
    {
        if (Fresh(_last) is { } fresh)
            return fresh;
        await _counting.WaitAsync(ct);
        try
        {
            return Fresh(_last) ?? (_last = await CountAsync(ct));
        }
        finally
        {
            _counting.Release();
        }
    }

    public void Dispose() => _counting.Dispose();

    private NetworkAtlasView? Fresh(NetworkAtlasView? view) =>
        view is not null && time.GetUtcNow() - view.At < options.Value.AtlasInterval ? view : null;

    private async Task<NetworkAtlasView> CountAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var free = market.FreeGpus;
        var atlas = NetworkAtlas.Of(registry.Entries.Select(e =>
        {
            var r = e.Record;
            var model = r.Gpus.OrderBy(g => g.Index).FirstOrDefault()?.Model ?? "none";
            // The market counts wholly free GPUs of the hosts it indexes; a host it does not index has none leased here.
            var leased = free.TryGetValue(r.Id, out var f) ? r.Gpus.Count - f : 0;
            return new AtlasHost(r.Country, r.Latitude, r.Longitude, e.State, model, r.Gpus.Count, leased, r.PriceUsdPerGpuHour);
        }));
        var since = now - TimeSpan.FromMinutes(1);
        var kinds = CheckKind.All.ToList();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var checks = await db.Checks.CountAsync(c => kinds.Contains(c.Kind) && c.DecidedAt >= since, ct);
        return new NetworkAtlasView(access.Value.NetworkId, now, atlas.Hosts, atlas.HostsByState.ToDictionary(s => s.Key.ToString(), s => s.Value),
            atlas.Gpus, atlas.GpusLeased, Math.Round(atlas.Utilisation, 4), Math.Round(monitor.HeartbeatsPerSecond, 1), checks,
            [.. atlas.Countries.Select(c => new AtlasCountryView(c.Country, Countries.Name(c.Country) ?? c.Country, c.Latitude, c.Longitude, c.Hosts, c.Gpus, c.GpusLeased, c.GpusByModel))],
            [.. atlas.Models.Select(m => new AtlasModelView(m.Model, m.Gpus, m.GpusLeased, m.LowestPriceUsdPerGpuHour, m.MedianPriceUsdPerGpuHour))]);
    }
}
