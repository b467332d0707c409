using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Services.Sla;
using Gpunet.IntegrationTests.Support;
using static Microsoft.Playwright.Assertions;

namespace Gpunet.IntegrationTests.WebConsole;

/// <summary>The console's live pages in a real browser against a real coordinator with a real agent: a lease's state and
/// lines arrive without a reload or a poll, a cut connection shows in the header and resumes with every line once; the
/// network operator's SLA report on a host, drawn as charts with their numbers.</summary>
[LongRunning]
public sealed partial class LivePagesBrowserTests
{
    [Fact]
    public async Task ALeasesPage_GetsItsStateAndLinesPushed_AndACutConnectionResumes_WithEveryLineOnce()
    {
        await using var c = await TestCoordinator.StartAsync(configure: Browser.SteadyHosts);
        await using var agent = await c.ReadyAgentAsync("H100-SXM5-80GB:8", "DE");
        using var customer = await c.CustomerAsync(Wallet.Create());
        await using var link = new CuttableLink(c.ApiUrl);
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.PageAsync();
        var requests = new List<string>();
        page.Request += (_, r) => { lock (requests) requests.Add(r.Url); };

        var signIn = (await ConsoleLinkTests.CreateAsync(customer)).Url.Replace(c.ApiUrl.TrimEnd('/') + "/", link.Url, StringComparison.Ordinal);
        await page.GotoAsync(signIn);
        await Expect(page.Locator("#stat-hosts .value")).ToHaveTextAsync("1");
        var order = await customer.RentAsync(new
        {
            gpu = new[] { "H100" }, count = 1, maxPrice = 10,
            // A line every 0.2 s until cancelled, so the cut falls mid-stream however slow the machine.
            command = new[] { "/bin/sh", "-c", "i=0; while true; do i=$((i+1)); echo line $i; sleep 0.2; done" },
        });
        await page.GotoAsync(link.Url + $"#/leases/{order.LeaseId}");
        await Expect(page.Locator("#lease-state")).ToHaveTextAsync("Running");
        await Expect(page.Locator("#logs")).ToContainTextAsync("line 3");
        await Expect(page.Locator("#lease-sla-chart svg.chart.availability")).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, "lease-live");

        // The wire is cut mid-stream: the header says so while lines go on being written.
        link.Cut();
        var shownAtCut = (await page.Locator("#logs").TextContentAsync())!.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        await Expect(page.Locator("#connection")).ToHaveClassAsync(LostClass());
        await Expect(page.Locator("#connection")).ToContainTextAsync("reconnecting");
        await Browser.ScreenshotAsync(page, "lease-connection-lost");
        await Task.Delay(TimeSpan.FromSeconds(2));
        link.Restore();

        // Back by itself: the lines written meanwhile arrive (ten seconds' worth past the cut), then the cancel is pushed
        // with the end; the page shows every line once, in order, as the coordinator stored them.
        await Expect(page.Locator("#connection")).Not.ToHaveClassAsync(LostClass(), new() { Timeout = 30_000 });
        await Expect(page.Locator("#logs")).ToContainTextAsync($"line {shownAtCut + 50}\n");
        await page.ClickAsync("#cancel");
        await Expect(page.Locator("#lease-state")).ToHaveTextAsync("Cancelled");
        await Expect(page.Locator("#cancel")).ToHaveCountAsync(0);
        var shown = (await page.Locator("#logs").TextContentAsync())!.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Enumerable.Range(1, shown.Length).Select(i => $"line {i}"), shown);
        Assert.Equal(shown, (await customer.LogsAsync(order.LeaseId)).Take(shown.Length).Select(l => l.Text));
        await Browser.ScreenshotAsync(page, "lease-resumed");

        // Nothing was polled: the page read the lease only through its event stream.
        string[] seen;
        lock (requests)
            seen = [.. requests];
        Assert.True(seen.Count(u => u.EndsWith($"/api/v1/leases/{order.LeaseId}/events", StringComparison.Ordinal)) >= 2, string.Join("\n", seen));
        Assert.DoesNotContain(seen, u => u.Contains("/logs", StringComparison.Ordinal) || u.EndsWith($"/api/v1/leases/{order.LeaseId}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheOperator_SeesAHostsSlaReport_AsChartsOfAvailabilityPerDayAgainstTheTarget_AndCredits()
    {
        await using var c = await TestCoordinator.StartAsync(configure: Browser.SteadyHosts);
        await using var agent = await c.ReadyAgentAsync("H100-SXM5-80GB:8", "DE");
        var hostId = await agent.HostIdAsync();
        using var customer = await c.CustomerAsync(Wallet.Create());
        var order = await customer.RentAsync(new { gpu = new[] { "H100" }, count = 1, maxPrice = 10, command = new[] { "/bin/sh", "-c", "sleep 2" } });
        await customer.WaitForStateAsync(order.LeaseId, "Succeeded");
        var month = DateTime.UtcNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var owner = (await customer.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("address").GetString()!;
        await SlaReportApiTests.AddCreditAsync(c, order.LeaseId, owner, hostId, month, 150_000_000, DateTimeOffset.UtcNow);
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.PageAsync();

        await page.GotoAsync((await ConsoleLinkTests.CreateAsync(c.Admin)).Url);
        await Expect(page.Locator("#who")).ToHaveTextAsync("network operator");
        await page.ClickAsync("#nav-operator");
        await page.SelectOptionAsync("#sla-subject", "host");
        await page.FillAsync("#sla-id", hostId);
        await page.ClickAsync("#sla-show");

        // Today's bar: the host served the lease without downtime, so 100 % against the standard tier's 99 %.
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var report = page.Locator($".sla-report[data-subject='host'][data-id='{hostId}']");
        await Expect(report.Locator(".sla-summary")).ToContainTextAsync("against the standard tier");
        var day = report.Locator($"svg.chart.availability g.day[data-day='{today}']");
        await Expect(day).ToHaveClassAsync(new Regex(@"\bmet\b"));
        await Expect(day.Locator("text.value")).ToHaveTextAsync("100.00 %");
        await Expect(report.Locator("svg.chart.availability g.target text")).ToHaveTextAsync(new Regex(@"^target 99(\.0+)? %$"));
        // The credit settlement paid on the lease: one bar, its tokens written on it.
        var credit = report.Locator($"svg.chart.credits g.credit[data-lease='{order.LeaseId}'][data-epoch='7']");
        await Expect(credit.Locator("text.value")).ToHaveTextAsync("1.5");
        await Expect(report.Locator(".sla-summary")).ToContainTextAsync("1.5 tokens credited");
        await Browser.ScreenshotAsync(page, "operator-sla-host");

        // Bad input is refused saying why, and nothing is drawn.
        await page.FillAsync("#sla-id", "host-nope");
        await page.ClickAsync("#sla-show");
        await Expect(page.Locator("#sla-out .error")).ToContainTextAsync("is not a host id");
        await Expect(page.Locator("#sla-out svg")).ToHaveCountAsync(0);
    }

    [GeneratedRegex("lost")]
    private static partial Regex LostClass();
}
