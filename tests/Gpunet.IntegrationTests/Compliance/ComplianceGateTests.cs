using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gpunet.Cli.Devnet;
using Gpunet.Core.Compliance;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Compliance;

/// <summary>The gates with real agents: a host becomes Ready only with approved KYC, a confirmed location and the
/// policy's leave; orders honour KYC, export controls and data residency (an applied policy re-evaluating a serving host is in
/// Services/Compliance, on the fake clock).</summary>
public sealed class ComplianceGateTests
{
    private static readonly string GermanIp = DevnetPlan.Site(0).PublicIp;
    private const string UsIp = "8.8.8.8";

    private static async Task<JsonElement> HostComplianceAsync(TestCoordinator c, string id) =>
        await c.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/compliance/hosts/{id}");

    private static List<string> Rules(JsonElement view) =>
        [.. view.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("rule").GetString()!)];

    [Fact]
    public async Task Host_InABlockedJurisdictionWithoutKyc_StaysPendingNamingEveryRule()
    {
        await using var c = await TestCoordinator.StrictAsync("sqlite");
        await using var agent = TestAgent.Start(c.ApiUrl, "L4-24GB:2", country: "IR", region: "Tehran", publicIp: DevnetPlan.BlockedSite.PublicIp);
        var id = await agent.HostIdAsync();

        var host = await Eventually.Async(() => c.HostAsync(id), h => h.StateReason.Contains("blocked-jurisdiction", StringComparison.Ordinal),
            "the hold to be the host's reason");
        Assert.Equal("Pending", host.State);
        Assert.Contains("kyc-not-approved", host.StateReason, StringComparison.Ordinal);
        Assert.Equal([ComplianceRules.KycNotApproved, ComplianceRules.BlockedJurisdiction], Rules(await HostComplianceAsync(c, id)));

        // Approving the operator lifts one rule, not the other.
        using var operatorClient = await c.CustomerAsync(agent.Wallet, funds: 0);
        await Kyc.ApprovedAsync(c, operatorClient, Kyc.Person("Iman Operator", "IR"));
        host = await Eventually.Async(() => c.HostAsync(id), h => !h.StateReason.Contains("kyc-not-approved", StringComparison.Ordinal), "the KYC rule to go");
        Assert.Equal("Pending", host.State);
        Assert.Equal([ComplianceRules.BlockedJurisdiction], Rules(await HostComplianceAsync(c, id)));
    }

    [Fact]
    public async Task Host_ApprovedOperatorAtAnAddressInItsCountry_BecomesReady()
    {
        await using var c = await TestCoordinator.StrictAsync("sqlite", o => o.Compliance.TrustDeclaredLocation = true);
        var operatorWallet = Wallet.Create();
        using (var operatorClient = await c.CustomerAsync(operatorWallet, funds: 0))
            await Kyc.ApprovedAsync(c, operatorClient);
        await using var agent = TestAgent.Start(c.ApiUrl, "H100-SXM5-80GB:8", country: "DE", wallet: operatorWallet, publicIp: GermanIp);
        var id = await agent.HostIdAsync();

        await c.WaitForStateAsync(id, "Ready");
        var view = await HostComplianceAsync(c, id);
        Assert.True(view.GetProperty("allowed").GetBoolean());
        Assert.Equal("Matches", view.GetProperty("location").GetProperty("check").GetString());
        Assert.Equal("DE", view.GetProperty("location").GetProperty("resolvedCountry").GetString());
    }

    [Fact]
    public async Task Host_ControlledGpusAtAnAddressElsewhere_WaitForAnOfficersClearance()
    {
        await using var c = await TestCoordinator.StrictAsync("sqlite", o => o.Compliance.TrustDeclaredLocation = true);
        var operatorWallet = Wallet.Create();
        using (var operatorClient = await c.CustomerAsync(operatorWallet, funds: 0))
            await Kyc.ApprovedAsync(c, operatorClient);
        await using var agent = TestAgent.Start(c.ApiUrl, "H100-SXM5-80GB:8", country: "DE", wallet: operatorWallet, publicIp: UsIp);
        var id = await agent.HostIdAsync();

        var host = await Eventually.Async(() => c.HostAsync(id), h => h.StateReason.Contains("location-unverified", StringComparison.Ordinal), "the location hold");
        Assert.Equal("Pending", host.State);
        var view = await HostComplianceAsync(c, id);
        Assert.Equal("Mismatch", view.GetProperty("location").GetProperty("check").GetString());
        Assert.Equal("US", view.GetProperty("location").GetProperty("resolvedCountry").GetString());

        using (var noReason = await c.Admin.PostAsJsonAsync($"/api/v1/compliance/hosts/{id}/clear-location", new { }))
            Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        using (var cleared = await c.Admin.PostAsJsonAsync($"/api/v1/compliance/hosts/{id}/clear-location", new { reason = "colocation contract in Frankfurt; US transit provider" }))
            Assert.True(cleared.IsSuccessStatusCode, await cleared.Content.ReadAsStringAsync());

        await c.WaitForStateAsync(id, "Ready");
        Assert.Contains(await Kyc.AuditAsync(c.Admin, id), e => e.GetProperty("rule").GetString() == "location-clearance");
    }

    [Fact]
    public async Task Host_UncontrolledGpusAtAnAddressElsewhere_NeedNoClearance()
    {
        await using var c = await TestCoordinator.StrictAsync("sqlite", o => o.Compliance.TrustDeclaredLocation = true);
        var operatorWallet = Wallet.Create();
        using (var operatorClient = await c.CustomerAsync(operatorWallet, funds: 0))
            await Kyc.ApprovedAsync(c, operatorClient);
        await using var agent = TestAgent.Start(c.ApiUrl, "L4-24GB:4", country: "DE", wallet: operatorWallet, publicIp: UsIp);
        await c.WaitForStateAsync(await agent.HostIdAsync(), "Ready");
    }

    [Fact]
    public async Task Host_DeclaringAnAllowedCountryAtAnAddressInABlockedOne_IsBlockedAndNoClearanceLiftsIt()
    {
        await using var c = await TestCoordinator.StrictAsync("sqlite", o => { o.Compliance.TrustDeclaredLocation = true; o.Compliance.ApproveAllKyc = true; });
        await using var agent = TestAgent.Start(c.ApiUrl, "L4-24GB:2", country: "DE", publicIp: DevnetPlan.BlockedSite.PublicIp);
        var id = await agent.HostIdAsync();

        var host = await Eventually.Async(() => c.HostAsync(id), h => h.StateReason.Contains(ComplianceRules.BlockedJurisdiction, StringComparison.Ordinal), "the geofence");
        Assert.Equal("Pending", host.State);
        Assert.Contains($"address {DevnetPlan.BlockedSite.PublicIp} is in IR", host.StateReason, StringComparison.Ordinal);

        using (var cleared = await c.Admin.PostAsJsonAsync($"/api/v1/compliance/hosts/{id}/clear-location", new { reason = "the operator says it is in Frankfurt" }))
            Assert.True(cleared.IsSuccessStatusCode, await cleared.Content.ReadAsStringAsync());
        var view = await HostComplianceAsync(c, id);
        Assert.False(view.GetProperty("allowed").GetBoolean());
        Assert.Contains(ComplianceRules.BlockedJurisdiction, Rules(view));
    }

    [Fact]
    public async Task Host_OnAPrivateNetwork_IsNotTakenAtItsDeclaredAddress()
    {
        await using var c = await TestCoordinator.StrictAsync("sqlite", o => o.Compliance.ApproveAllKyc = true);
        await using var agent = TestAgent.Start(c.ApiUrl, "H100-SXM5-80GB:8", country: "DE", publicIp: GermanIp);
        var id = await agent.HostIdAsync();

        var host = await Eventually.Async(() => c.HostAsync(id), h => h.StateReason.Contains(ComplianceRules.LocationUnverified, StringComparison.Ordinal), "the location hold");
        Assert.Equal("Pending", host.State);
        var location = (await HostComplianceAsync(c, id)).GetProperty("location");
        Assert.Equal("Unresolved", location.GetProperty("check").GetString());
        Assert.Contains("its own word", location.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Order_ByACompanyWithARestrictedParent_NeverGetsControlledGpus()
    {
        // Operators who never submitted count as approved here; the customer's own KYB decides for the customer.
        await using var c = await TestCoordinator.StartAsync();
        await using var h100 = await c.ReadyAgentAsync("H100-SXM5-80GB:8", "DE");
        await using var l4 = await c.ReadyAgentAsync("L4-24GB:4", "DE");
        var l4Host = await l4.HostIdAsync();

        using var customer = await c.CustomerAsync(Wallet.Create());
        await Kyc.ApprovedAsync(c, customer, Kyc.Company("Subsidiary GmbH", "DE", parent: "CN"));

        using (var refused = await customer.PostAsJsonAsync("/api/v1/orders", MarketClient.Order("sleep 1", gpu: "H100")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains(ComplianceRules.RestrictedParentJurisdiction, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Asking for any GPU: the matcher passes over the H100 host.
        var order = await customer.RentAsync(new { count = 1, maxPrice = 5m, command = new[] { "sleep", "30" } });
        Assert.Equal(l4Host, order.Leases[0].HostId);
    }

    [Fact]
    public async Task Order_WithEuResidency_IsPlacedOnlyInTheEu_AndAnUnknownZoneIsRefused()
    {
        await using var c = await TestCoordinator.StartAsync();
        await using var us = await c.ReadyAgentAsync("L4-24GB:4", "US");
        await using var de = await c.ReadyAgentAsync("L4-24GB:4", "DE");
        var deHost = await de.HostIdAsync();
        using var customer = await c.CustomerAsync(Wallet.Create());

        using (var unknown = await customer.PostAsJsonAsync("/api/v1/orders", new { gpu = new[] { "L4" }, maxPrice = 5m, residency = "MARS", command = new[] { "true" } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
            Assert.Contains("MARS", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        for (var i = 0; i < 3; i++)
        {
            var order = await customer.RentAsync(new { gpu = new[] { "L4" }, maxPrice = 5m, residency = "EU", command = new[] { "sleep", "30" } });
            Assert.Equal(deHost, order.Leases[0].HostId);
        }
    }

    /// <summary>The default policy as YAML, versioned <paramref name="version"/>, blocking hosts in <paramref name="extraBlocked"/> too.</summary>
    internal static string PolicyWith(string version, params string[] extraBlocked) => CompliancePolicyParser.ToYaml(CompliancePolicy.Default with
    {
        Version = version,
        BlockedHostJurisdictions = [.. CompliancePolicy.Default.BlockedHostJurisdictions, .. extraBlocked],
    });

    [Fact]
    public async Task ApplyPolicy_WithAnError_IsRefusedWithItsLine_AndTheOldPolicyStays()
    {
        await using var c = await TestCoordinator.StartAsync();
        var before = (await c.Admin.GetFromJsonAsync<JsonElement>("/api/v1/compliance/policy")).GetProperty("version").GetString();
        var broken = PolicyWith("broken.1").Replace("CU", "ZZ", StringComparison.Ordinal);

        using var response = await c.Admin.PutAsJsonAsync("/api/v1/compliance/policy", new { yaml = broken });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var line = broken.Split('\n').ToList().FindIndex(l => l.Contains("ZZ", StringComparison.Ordinal)) + 1;
        Assert.Equal(line, problem.GetProperty("line").GetInt32());
        Assert.Contains("ZZ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, (await c.Admin.GetFromJsonAsync<JsonElement>("/api/v1/compliance/policy")).GetProperty("version").GetString());
        Assert.Contains(await Kyc.AuditAsync(c.Admin, "policy"), e => e.GetProperty("outcome").GetString()!.StartsWith("refused", StringComparison.Ordinal));

        using var customer = await c.CustomerAsync(Wallet.Create(), funds: 0);
        using var notOfficer = await customer.PutAsJsonAsync("/api/v1/compliance/policy", new { yaml = PolicyWith("sneaky.1") });
        Assert.Equal(HttpStatusCode.Forbidden, notOfficer.StatusCode);
    }
}
