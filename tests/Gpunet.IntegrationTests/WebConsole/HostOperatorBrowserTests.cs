using Gpunet.Core.Compliance;
using Gpunet.Core.Identity;
using static Microsoft.Playwright.Assertions;

namespace Gpunet.IntegrationTests.WebConsole;

/// <summary>The host operator's earnings and schedules and the compliance officer's location decisions, in a real
/// browser against a real coordinator: a host's earnings after epochs settled, and an officer clearing a host's
/// location; a customer never reaches the officer's hosts.</summary>
public sealed class HostOperatorBrowserTests
{
    [Fact]
    public async Task AHostOperator_SeesEachEpochsEarningsOfItsHost_AndWhenItsUnbondingAndVestingBecomeAvailable()
    {
        await using var c = await Services.Ledger.Settlement.StartAsync();
        var (agent, operatorHttp, earned) = await HostOperatorSetup.EarningHostAsync(c, "browser-earner");
        await using var _ = agent;
        using var __ = operatorHttp;
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.PageAsync();

        await page.GotoAsync((await ConsoleLinkTests.CreateAsync(operatorHttp)).Url);
        await Expect(page.Locator("#who")).ToHaveTextAsync(agent.Wallet.Address.Value);
        await page.ClickAsync("#nav-hosts");
        var card = page.Locator($".card.host[data-host='{agent.HostId}']");
        // One bar per paying epoch, each naming what it earned.
        var bars = card.Locator("svg.earnings-chart g.epoch");
        await Expect(bars).ToHaveCountAsync(earned.Count);
        await Expect(card.Locator($"svg.earnings-chart g.epoch[data-epoch='{earned[0].Epoch}'] title")).ToContainTextAsync($"earned {earned[0].Earned}");
        await Expect(card.Locator(".earnings details table")).ToContainTextAsync(earned[^1].Capacity);
        var schedules = page.Locator("#schedules");
        await Expect(schedules.Locator("table").First).ToContainTextAsync(agent.HostId);
        await Expect(schedules.Locator("table").Nth(1)).ToContainTextAsync(earned[0].Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Browser.ScreenshotAsync(page, "host-earnings");
    }

    [Fact]
    public async Task TheOfficer_SeesAHostsLocationDecisionWithEveryRule_AndClearsIt_ACustomerCannotReachIt()
    {
        var (c, _, agent, id) = await HostOperatorSetup.HeldByLocationAsync();
        await using var __ = c;
        await using var ___ = agent;
        await using var browser = await Browser.LaunchAsync();

        var customer = await browser.PageAsync();
        using (var bob = await c.CustomerAsync(Wallet.Create(), funds: 0))
            await customer.GotoAsync((await ConsoleLinkTests.CreateAsync(bob)).Url);
        await Expect(customer.Locator("#stat-hosts .value")).ToHaveTextAsync("1");
        await customer.GotoAsync(c.ApiUrl.TrimEnd('/') + "/#/kyc/hosts");
        await Expect(customer.Locator("main .error")).ToContainTextAsync("compliance officer");
        await customer.GotoAsync(c.ApiUrl.TrimEnd('/') + $"/#/kyc/hosts/{id}");
        await Expect(customer.Locator("main .error")).ToContainTextAsync($"no host {id} of yours");

        var page = await browser.PageAsync();
        await page.GotoAsync((await ConsoleLinkTests.CreateAsync(c.Admin)).Url);
        await Expect(page.Locator("#who")).ToHaveTextAsync("network operator");
        await page.ClickAsync("#nav-kyc");
        await page.ClickAsync("#kyc-hosts");
        var row = page.Locator("#stopped-hosts tr", new() { HasText = id });
        await Expect(row).ToContainTextAsync(ComplianceRules.LocationUnverified);
        await Expect(row).ToContainTextAsync("DE → US (Mismatch)");
        await Browser.ScreenshotAsync(page, "officer-stopped-hosts");

        await row.Locator("a.host-link").ClickAsync();
        await Expect(page.Locator($"#rules li[data-rule='{ComplianceRules.LocationUnverified}']")).ToBeVisibleAsync();
        await Expect(page.Locator("#location-check")).ToHaveTextAsync("Mismatch");
        await Expect(page.Locator("#host-decision")).ToHaveTextAsync("stopped");
        // No reason, no clearance: the API says why and nothing changes.
        await page.ClickAsync("#clear-location");
        await Expect(page.Locator("#clear-status .error")).ToContainTextAsync("reason");
        await Expect(page.Locator("#location-check")).ToHaveTextAsync("Mismatch");
        await page.FillAsync("#clear-reason", "colocation contract in Frankfurt; US transit provider");
        await page.ClickAsync("#clear-location");
        await Expect(page.Locator("#clear-status")).ToContainTextAsync($"{id}: location cleared");
        await Expect(page.Locator("#location-check")).ToHaveTextAsync("Cleared");
        await Expect(page.Locator("#location-cleared")).ToContainTextAsync("colocation contract in Frankfurt");
        await Expect(page.Locator("#host-decision")).ToHaveTextAsync("allowed");
        await Browser.ScreenshotAsync(page, "officer-location-cleared");
        await c.WaitForStateAsync(id, "Ready");
    }
}
