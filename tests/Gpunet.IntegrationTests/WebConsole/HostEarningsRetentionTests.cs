using Gpunet.Coordinator;
using Gpunet.Coordinator.Ledger;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Gpunet.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gpunet.IntegrationTests.WebConsole;

/// <summary>Hosts' earnings per epoch (<c>host_earnings</c>) are kept <c>HostEarningsRetention</c> (400 days) after the
/// epoch ended, then deleted by the sweep that follows a settlement; a retention too short to read a month is refused at
/// start.</summary>
public sealed class HostEarningsRetentionTests
{
    [Fact]
    public async Task Sweep_DeletesEarningsOfEpochsThatEndedOverTheRetentionAgo_AndKeepsTheRest()
    {
        await using var c = await TestCoordinator.StartAsync();
        var economics = c.App.Services.GetRequiredService<EconomicsOptions>();
        var now = TimeProvider.System.GetUtcNow();
        // Daily epochs: one that ended 402 days ago, one that ends 398 days ago, and yesterday's, each of two hosts.
        var epochs = new[] { economics.EpochOf(now.AddDays(-403)), economics.EpochOf(now.AddDays(-399)), economics.EpochOf(now.AddDays(-1)) };
        var dbs = c.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>();
        await using (var db = await dbs.CreateDbContextAsync())
        {
            foreach (var epoch in epochs)
            {
                foreach (var host in new[] { "host-00000000000a", "host-00000000000b" })
                    db.HostEarnings.Add(new HostEarningRecord { HostId = host, Epoch = epoch, Operator = "0x00000000000000000000000000000000000000aa", Capacity = 100 });
            }

            await db.SaveChangesAsync();
        }

        var deleted = await c.App.Services.GetRequiredService<HostEarningsRetention>().SweepAsync(CancellationToken.None);

        Assert.Equal(2, deleted);
        await using (var db = await dbs.CreateDbContextAsync())
            Assert.Equal(epochs[1..], await db.HostEarnings.Select(e => e.Epoch).Distinct().OrderBy(e => e).ToListAsync());
    }

    [Fact]
    public async Task Start_WithARetentionUnderAMonth_FailsNamingTheKey()
    {
        var e = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = CoordinatorApp.Build("http://127.0.0.1:0", o =>
            {
                o.Store.DataDirectory = TestCoordinator.NewDataDir();
                o.Ledger.HostEarningsRetention = TimeSpan.FromDays(30);
            }, logging => logging.ClearProviders());
            await app.StartAsync();
        });

        Assert.Contains("HostEarningsRetention: at least 31 days", e.Message, StringComparison.Ordinal);
    }
}
