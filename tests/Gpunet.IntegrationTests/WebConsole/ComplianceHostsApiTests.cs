using System.Net;
using System.Net.Http.Json;
using Gpunet.Cli.Devnet;
using Gpunet.Core.Compliance;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.WebConsole;

/// <summary>The compliance officer's list of hosts a rule stops, each with every rule and its location evidence, with
/// real agents; a customer cannot read it.</summary>
public sealed class ComplianceHostsApiTests
{
    [Fact]
    public async Task HostsARuleStops_ListedWithEveryRuleAndTheirLocation_UntilAnOfficerClearsIt_AndNotForACustomer()
    {
        // Controlled GPUs declared in Germany at an address in the US: held for an officer; the same at a German address: Ready.
        var (c, operatorWallet, elsewhere, held) = await HostOperatorSetup.HeldByLocationAsync();
        await using var _ = c;
        await using var __ = elsewhere;
        await using var home = TestAgent.Start(c.ApiUrl, "H100-SXM5-80GB:8", country: "DE", wallet: operatorWallet, seed: "at-home", publicIp: DevnetPlan.Site(0).PublicIp);
        var ready = await home.HostIdAsync();
        await c.WaitForStateAsync(ready, "Ready");

        using var customer = await c.CustomerAsync(Wallet.Create(), funds: 0);
        using (var r = await customer.GetAsync("/api/v1/compliance/hosts"))
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);

        var stopped = await ListAsync(c, "");
        var view = Assert.Single(stopped);
        Assert.Equal((held, false), (view.HostId, view.Allowed));
        Assert.Equal([ComplianceRules.LocationUnverified], view.Reasons.Select(r => r.Rule));
        Assert.Equal(("Mismatch", "DE", "US"), (view.Location!.Check, view.Location.DeclaredCountry, view.Location.ResolvedCountry));
        // Paged in host id order: every host, one at a time.
        var first = Assert.Single(await ListAsync(c, "?stopped=false&limit=1"));
        var second = Assert.Single(await ListAsync(c, $"?stopped=false&limit=1&after={first.HostId}"));
        Assert.Equal(new[] { held, ready }.Order(StringComparer.Ordinal), [first.HostId, second.HostId]);
        Assert.Empty(await ListAsync(c, $"?stopped=false&after={second.HostId}"));
        using (var r = await c.Admin.GetAsync("/api/v1/compliance/hosts?after=nonsense"))
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);

        using (var cleared = await c.Admin.PostAsJsonAsync($"/api/v1/compliance/hosts/{held}/clear-location", new { reason = "colocation contract in Frankfurt" }))
            Assert.True(cleared.IsSuccessStatusCode, await cleared.Content.ReadAsStringAsync());
        Assert.Empty(await ListAsync(c, ""));
        var after = (await ListAsync(c, "?stopped=false")).Single(h => h.HostId == held);
        Assert.Equal((true, "Cleared", "colocation contract in Frankfurt"), (after.Allowed, after.Location!.Check, after.Location.ClearedReason));
    }

    private static async Task<List<HostComplianceView>> ListAsync(TestCoordinator c, string query) =>
        (await c.Admin.GetFromJsonAsync<List<HostComplianceView>>("/api/v1/compliance/hosts" + query, TestCoordinator.Json))!;
}
