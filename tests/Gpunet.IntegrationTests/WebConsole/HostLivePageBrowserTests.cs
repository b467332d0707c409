using Gpunet.Core.Compliance;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;
using static Microsoft.Playwright.Assertions;

namespace Gpunet.IntegrationTests.WebConsole;

/// <summary>The host operator's page in a real browser against a real coordinator with a real agent: its host is paused
/// by a policy and freed again, and the open page shows both, with the reason, without a reload.</summary>
public sealed class HostLivePageBrowserTests
{
    [Fact]
    public async Task AHostOperatorsOpenPage_ShowsItsHostPausedWithTheReason_AndReadyAgain_WithoutAReload()
    {
        await using var c = await TestCoordinator.StartAsync(configure: o =>
        {
            Browser.SteadyHosts(o);
            o.Console.HostStreamInterval = TimeSpan.FromMilliseconds(250);
        });
        var operatorWallet = Wallet.Create();
        await using var agent = TestAgent.Start(c.ApiUrl, "L4-24GB:2", country: "PT", wallet: operatorWallet);
        var hostId = await agent.HostIdAsync();
        await c.WaitForStateAsync(hostId, "Ready");
        using var operatorApi = await c.CustomerAsync(operatorWallet, funds: 0);
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.PageAsync();

        await page.GotoAsync((await ConsoleLinkTests.CreateAsync(operatorApi)).Url);
        await Expect(page.Locator("#who")).ToHaveTextAsync(operatorWallet.Address.Value);
        await page.ClickAsync("#nav-hosts");
        var host = page.Locator($".host[data-host='{hostId}']");
        await Expect(host.Locator(".state")).ToHaveTextAsync("Ready");
        // A mark on the page's window: a reload would lose it.
        await page.EvaluateAsync("() => { window.gpunetNotReloaded = true; }");

        await HostEventsTests.ApplyAsync(c, "blocks.pt", ["PT"]);
        await Expect(host.Locator(".state")).ToHaveTextAsync("Paused");
        await Expect(host.Locator(".reason")).ToContainTextAsync(ComplianceRules.BlockedJurisdiction);
        await Browser.ScreenshotAsync(page, "host-live-paused");

        await HostEventsTests.ApplyAsync(c, "lifts.pt", []);
        await Expect(host.Locator(".state")).ToHaveTextAsync("Ready");
        Assert.True(await page.EvaluateAsync<bool>("() => window.gpunetNotReloaded === true"));
        await Browser.ScreenshotAsync(page, "host-live-ready");
    }
}
