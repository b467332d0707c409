using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Compliance;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Support;
using Gpunet.IntegrationTests.Verification;
using static Microsoft.Playwright.Assertions;

namespace Gpunet.IntegrationTests.WebConsole;

/// <summary>The console end to end in a real browser against a real coordinator with a real agent: sign in by link,
/// see the network, find and rent a GPU, watch the lease run and its output appear, approve a KYC application; a
/// customer never reaches the officer's page; a lost connection shows and recovers by itself.</summary>
[LongRunning]
public sealed class ConsoleBrowserTests
{
    [Fact]
    public async Task ACustomer_SignsInByLink_SeesTheNetwork_RentsAGpu_WatchesItRunAndItsOutput()
    {
        await using var c = await TestCoordinator.StartAsync(configure: Browser.SteadyHosts);
        await using var agent = await c.ReadyAgentAsync("H100-SXM5-80GB:8", "DE");
        var alice = Wallet.Create();
        using var customer = await c.CustomerAsync(alice);
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.PageAsync();

        await page.GotoAsync((await ConsoleLinkTests.CreateAsync(customer)).Url);
        await Expect(page.Locator("#who")).ToHaveTextAsync(alice.Address.Value);
        // The link's code is gone from the address bar once used.
        Assert.DoesNotContain("link=", page.Url, StringComparison.Ordinal);
        await Expect(page.Locator("#stat-hosts .value")).ToHaveTextAsync("1");
        await Expect(page.Locator("#stat-gpus .value")).ToHaveTextAsync("8");
        await Expect(page.Locator("svg.map g[data-country='DE'] circle")).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, "network");

        // A search that finds nothing says which requirement left out how many.
        await page.ClickAsync("nav a[href='#/market']");
        await page.FillAsync("#query", "country=FR");
        await page.ClickAsync("form.search button");
        await Expect(page.Locator("#explain")).ToContainTextAsync("country=FR left out 1 of 1");

        await page.FillAsync("#query", "model=H100 country=DE");
        await page.ClickAsync("form.search button");
        await page.ClickAsync($"button.rent-button[data-host='{await agent.HostIdAsync()}']");
        await page.FillAsync("form.rent input[name='command']", "echo hello from the console; sleep 60");
        await page.ClickAsync("form.rent button[type='submit']");
        await Expect(page.Locator("#lease-state")).ToHaveTextAsync("Running");
        await Expect(page.Locator("#logs")).ToContainTextAsync("hello from the console");
        await Expect(page.Locator("#lease-cost")).ToContainTextAsync("at the lease's price");
        await Expect(page.Locator("#lease-sla")).ToContainTextAsync("against the standard tier");
        await Browser.ScreenshotAsync(page, "lease-running");

        var lease = Assert.Single(await customer.LeasesAsync());
        Assert.Equal(("Running", "/bin/sh"), (lease.State, lease.Command[0]));
        Assert.Contains(lease.Id, page.Url, StringComparison.Ordinal);
        await page.ClickAsync("#cancel");
        await Expect(page.Locator("#lease-state")).ToHaveTextAsync("Cancelled");
        await customer.WaitForStateAsync(lease.Id, "Cancelled");

        // The officer's page is not this customer's: the API refuses, and the page says so.
        Assert.True(await page.Locator("#nav-kyc").IsHiddenAsync());
        await page.GotoAsync(c.ApiUrl.TrimEnd('/') + "/#/kyc");
        await Expect(page.Locator("main .error")).ToContainTextAsync("compliance officer");

        // Another customer given the lease's address sees no such lease, nor it in their list.
        using var bob = await c.CustomerAsync(Wallet.Create(), funds: 0);
        var other = await browser.PageAsync();
        await other.GotoAsync((await ConsoleLinkTests.CreateAsync(bob)).Url);
        await Expect(other.Locator("#stat-hosts .value")).ToHaveTextAsync("1");
        await other.GotoAsync(c.ApiUrl.TrimEnd('/') + $"/#/leases/{lease.Id}");
        await Expect(other.Locator("main .error")).ToContainTextAsync($"no lease {lease.Id}");
        await other.GotoAsync(c.ApiUrl.TrimEnd('/') + "/#/leases");
        await Expect(other.Locator("main .empty")).ToContainTextAsync("No lease yet");
    }

    [Fact]
    public async Task TheOperator_ApprovesAPendingKycApplication_FromTheQueue()
    {
        await using var c = await TestCoordinator.StartAsync(configure: o => o.Compliance.ApproveAllKyc = false);
        using var bob = await c.CustomerAsync(Wallet.Create(), funds: 0);
        var submission = await Kyc.SubmitAsync(bob, Kyc.Person("Bob Applicant", "FR"));
        var id = submission.GetProperty("id").GetString()!;
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.PageAsync();

        await page.GotoAsync((await ConsoleLinkTests.CreateAsync(c.Admin)).Url);
        await Expect(page.Locator("#who")).ToHaveTextAsync("network operator");
        await Expect(page.Locator("#nav-kyc")).ToBeVisibleAsync();
        await page.ClickAsync("#nav-kyc");
        var row = page.Locator($"tr[data-submission='{id}']");
        await Expect(row).ToContainTextAsync("Bob Applicant");
        await Browser.ScreenshotAsync(page, "kyc-queue");
        await row.Locator("button.approve").ClickAsync();
        await Expect(page.Locator("#kyc-status")).ToContainTextAsync("Bob Applicant: approved");
        await Expect(row).ToHaveCountAsync(0);

        Assert.Equal("Approved", await Kyc.StateAsync(bob));
    }

    [Fact]
    public async Task AHostOperator_SeesItsHostsFailedCheck_WithItsReason_AndTheSignedReports()
    {
        await using var c = await TestCoordinator.StartAsync(configure: CheckerNodes.Configure);
        await using var checkers = await CheckerNodes.StartAsync(c);
        var mallory = Wallet.Create();
        await using var cheat = CheckerNodes.Cheat(c, mallory);
        var hostId = await cheat.HostIdAsync();
        await c.WaitForStateAsync(hostId, "Paused", seconds: 60);
        using var operatorApi = await c.CustomerAsync(mallory, funds: 0);
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.PageAsync();

        await page.GotoAsync((await ConsoleLinkTests.CreateAsync(operatorApi)).Url);
        await Expect(page.Locator("#who")).ToHaveTextAsync(mallory.Address.Value);
        await page.ClickAsync("#nav-hosts");
        var host = page.Locator($".host[data-host='{hostId}']");
        await Expect(host.Locator(".state")).ToHaveTextAsync("Paused");
        await Expect(host.Locator(".reason")).ToContainTextAsync("Too slow for H100-SXM5-80GB");
        await Expect(host.Locator(".outcome.failed").First).ToHaveTextAsync("failed");
        // And the alerts above every page say so.
        await Expect(page.Locator("#alerts li[data-kind='host-paused']")).ToContainTextAsync("Too slow for H100-SXM5-80GB");
        await Expect(page.Locator("#alerts li[data-kind='check-failed']").First).ToContainTextAsync("capacity check failed");
        await Browser.ScreenshotAsync(page, "host-failed-check");

        await host.Locator("tr", new() { Has = page.Locator(".outcome.failed") }).First.Locator("a.check-link").ClickAsync();
        await Expect(page.Locator("#check-outcome")).ToHaveTextAsync("failed");
        // Each checker's report, signed: its reason and the text it signed.
        await Expect(page.Locator("table tbody tr")).ToHaveCountAsync(3);
        await Expect(page.Locator("table tbody")).ToContainTextAsync("Too slow");
        await Browser.ScreenshotAsync(page, "check-reports");
    }

    [Fact]
    public async Task AKeyFile_SignsInAsItsWallet_InThePage_AndANonKeyIsRefusedSayingWhy()
    {
        await using var c = await TestCoordinator.StartAsync();
        var alice = Wallet.Create();
        var dir = Directory.CreateTempSubdirectory("gpunet-key-").FullName;
        var key = Path.Combine(dir, "alice.key");
        await File.WriteAllTextAsync(key, alice.PrivateKeyHex + "\n");
        var notAKey = Path.Combine(dir, "notes.txt");
        await File.WriteAllTextAsync(notAKey, "hello");
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.PageAsync();

        await page.GotoAsync(c.ApiUrl);
        await page.SetInputFilesAsync("#keyfile", notAKey);
        await page.ClickAsync("#keyfile-signin");
        await Expect(page.Locator("form:has(#keyfile) .error")).ToContainTextAsync("not a key file");

        await page.SetInputFilesAsync("#keyfile", key);
        await page.ClickAsync("#keyfile-signin");
        // The API's own sign-in: the challenge signed in the page, the token the same as the CLI's.
        await Expect(page.Locator("#who")).ToHaveTextAsync(alice.Address.Value);
        await Expect(page.Locator("#stat-hosts .value")).ToHaveTextAsync("0");

        // Alerts: none yet; a webhook must be https, and its secret is shown once.
        await page.ClickAsync("#nav-alerts");
        await Expect(page.Locator("main h1")).ToHaveTextAsync("Alerts");
        await Expect(page.Locator("main .empty")).ToHaveTextAsync("Nothing needs you now.");
        await page.FillAsync("#webhook-url", "http://example.com/hook");
        await page.ClickAsync("#webhook-url ~ button");
        await Expect(page.Locator("#webhook-status .error")).ToContainTextAsync("https URL is required");
        await page.FillAsync("#webhook-url", "https://example.com/hook");
        await page.ClickAsync("#webhook-url ~ button");
        await Expect(page.Locator("#webhook-secret")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9a-f]{64}$"));
    }

    [Fact]
    public async Task ALostConnection_ShowsAsSuch_AndRecoversByItself()
    {
        await using var c = await TestCoordinator.StartAsync(configure: o => o.Console.AtlasInterval = TimeSpan.FromMilliseconds(300));
        using var customer = await c.CustomerAsync(Wallet.Create(), funds: 0);
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.PageAsync();
        // The live stream's connection fails, as a dropped network would make it.
        await page.RouteAsync("**/api/v1/console/network/stream", route => route.AbortAsync("connectionreset"));

        await page.GotoAsync((await ConsoleLinkTests.CreateAsync(customer)).Url);
        await Expect(page.Locator("#connection")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("lost"));
        await Expect(page.Locator("#connection")).ToContainTextAsync("reconnecting");
        await Browser.ScreenshotAsync(page, "connection-lost");

        await page.UnrouteAsync("**/api/v1/console/network/stream");
        await Expect(page.Locator("#connection")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("lost"), new() { Timeout = 30_000 });
        await Expect(page.Locator("#stat-hosts .value")).ToHaveTextAsync("0");
    }
}
