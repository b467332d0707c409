using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gpunet.Cli;
using Gpunet.Contracts.Sla;
using Gpunet.IntegrationTests.Cli;
using Gpunet.Coordinator.Storage;
using Gpunet.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gpunet.IntegrationTests.Sla;

/// <summary>A host that flapped more times in a month than a report lists: the earliest 1,000 windows listed, the rest
/// counted and read by <c>windowsFrom</c>, the downtime counting them all; the CLI's JSON, CSV and PDF hold every one.</summary>
public sealed class SlaReportListTests
{
    [Fact]
    public async Task AHostDownElevenHundredTimes_ReportListsTheEarliestThousandWindows_CountsTheRest_CliWritesEveryOne()
    {
        const int outages = 1_100;
        var dir = TestCoordinator.NewDataDir();
        var home = TestCoordinator.NewDataDir();
        var keyFile = Path.Combine(home, "farmer.key");
        var farmer = Keys.LoadOrCreate(keyFile);
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

        // The next page: the last 100 windows, none after them (the unheard host may open one more, now, while this
        // runs); a position past the end lists none; a negative one is refused.
        var last = start.AddMinutes(2 + (2 * (outages - 1)));
        var path = $"/api/v1/sla/report?host={SeededHosts.Id(0)}&month={start:yyyy-MM}";
        var rest = (await c.Admin.GetFromJsonAsync<SlaReportView>(path + "&windowsFrom=1000", TestCoordinator.Json))!;
        Assert.InRange(rest.Windows.Count, outages - 1_000, outages - 1_000 + 1);
        Assert.Equal(start.AddMinutes(2 + (2 * 1_000)), rest.Windows[0].Start);
        Assert.Equal(last, rest.Windows[outages - 1_000 - 1].Start);
        Assert.Null(rest.WindowsUnlisted);
        Assert.Empty((await c.Admin.GetFromJsonAsync<SlaReportView>(path + "&windowsFrom=5000", TestCoordinator.Json))!.Windows);
        using (var negative = await c.Admin.GetAsync(path + "&windowsFrom=-1"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
            Assert.Contains("windowsFrom", await negative.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // The operator's CLI reads every page: JSON and CSV hold all 1,100 windows, the PDF names the last.
        string[] me = ["--coordinator", c.ApiUrl, "--key", keyFile];
        string[] subject = ["sla", "report", "--host", SeededHosts.Id(0), "--month", $"{start:yyyy-MM}"];
        var json = await GpunetProcess.RunAsync(home, null, [.. subject, "--json", .. me]);
        Assert.True(json.ExitCode == 0, json.Stderr);
        var whole = JsonDocument.Parse(json.Stdout).RootElement;
        Assert.Equal(last, whole.GetProperty("windows")[outages - 1].GetProperty("start").GetDateTimeOffset());
        Assert.True(!whole.TryGetProperty("windowsUnlisted", out var unlisted) || unlisted.ValueKind == JsonValueKind.Null, json.Stdout[..200]);
        var csv = await GpunetProcess.RunAsync(home, null, [.. subject, "--csv", .. me]);
        Assert.True(csv.ExitCode == 0, csv.Stderr);
        Assert.Equal(last, DateTimeOffset.Parse(SlaReportCliTests.ParseCsv(csv.Stdout)[outages][0], System.Globalization.CultureInfo.InvariantCulture));
        var pdf = Path.Combine(home, "report.pdf");
        var written = await GpunetProcess.RunAsync(home, null, [.. subject, "--pdf", pdf, .. me]);
        Assert.True(written.ExitCode == 0, written.Stderr);
        Assert.Contains(last.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), SlaReportCliTests.PdfText(pdf), StringComparison.Ordinal);
    }
}
