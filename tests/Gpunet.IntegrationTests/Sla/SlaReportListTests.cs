using System.Net.Http.Json;
using Gpunet.Contracts.Sla;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gpunet.IntegrationTests.Sla;

/// <summary>A host that flapped more times in a month than a report lists: the earliest 1,000 windows listed, the rest
/// counted, the downtime counting them all.</summary>
public sealed class SlaReportListTests
{
    [Fact]
    public async Task AHostDownElevenHundredTimes_ReportListsTheEarliestThousandWindows_CountsTheRest()
    {
        const int outages = 1_100;
        var dir = TestCoordinator.NewDataDir();
        var farmer = Wallet.Create();
        var now = DateTimeOffset.UtcNow;
        var month = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        // Each outage: a minute Offline, a minute Ready; 1,100 of them fit the first 37 hours of the month.
        var start = now - month > TimeSpan.FromHours(40) ? month : month.AddMonths(-1);
        await using (var first = await TestCoordinator.StartAsync(dir))
        {
            await SeededHosts.WriteAsync(first, farmer.Address.Value, 1, "Ready");
            await using var db = await first.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>().CreateDbContextAsync();
            var host = SeededHosts.Id(0);
            db.HostTransitions.Add(new HostTransitionRecord { HostId = host, From = "Pending", To = "Ready", Reason = "registered", At = start.AddMinutes(1) });
            for (var i = 0; i < outages; i++)
            {
                var down = start.AddMinutes(2 + (2 * i));
                db.HostTransitions.Add(new HostTransitionRecord { HostId = host, From = "Ready", To = "Offline", Reason = "silent", At = down });
                db.HostTransitions.Add(new HostTransitionRecord { HostId = host, From = "Offline", To = "Ready", Reason = "heard", At = down.AddMinutes(1) });
            }

            await db.SaveChangesAsync();
        }

        await using var c = await TestCoordinator.StartAsync(dir);
        var report = (await c.Admin.GetFromJsonAsync<SlaReportView>(
            $"/api/v1/sla/report?host={SeededHosts.Id(0)}&month={start:yyyy-MM}", TestCoordinator.Json))!;

        Assert.Equal(1_000, report.Windows.Count);
        Assert.Equal(start.AddMinutes(2), report.Windows[0].Start);
        Assert.Equal(outages - 1_000, report.WindowsUnlisted);
        Assert.True(report.DowntimeSeconds >= outages * 60, report.DowntimeSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
