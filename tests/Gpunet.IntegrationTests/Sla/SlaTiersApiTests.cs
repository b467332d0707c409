using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gpunet.Contracts.Sla;
using Gpunet.Coordinator;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gpunet.IntegrationTests.Sla;

/// <summary>The tiers come from configuration: listed for anyone signed in, the only ones an order may name, the ones
/// the OpenAPI document offers; a bad tier setting stops the coordinator's start with the key named.</summary>
public sealed class SlaTiersApiTests
{
    [Fact]
    public async Task Tiers_Defaults_ListedLeastAvailabilityFirstWithTheirTerms_ForACustomer_NotForAnonymous()
    {
        await using var c = await TestCoordinator.StartAsync();
        using var customer = await c.CustomerAsync(Wallet.Create());

        var tiers = await TiersAsync(customer);

        Assert.Equal(["standard", "business", "premium", "enterprise"], tiers.Select(t => t.Name));
        var enterprise = tiers[^1];
        Assert.Equal(99.9m, enterprise.AvailabilityPercent);
        Assert.Equal(120, enterprise.MaxReplacementSeconds);
        Assert.Equal(50, enterprise.SessionLatencyMs);
        Assert.Equal([(99.9m, 10m), (99.5m, 30m), (99.0m, 50m), (95.0m, 100m)], enterprise.Credits.Select(s => (s.BelowPercent, s.CreditPercent)));
        Assert.Equal((0.999, 0.99, 0.98), (enterprise.MinHostUptime, enterprise.MinCheckPassRate, enterprise.MinLeaseCompletion));
        Assert.Equal(0, tiers[0].MinHostUptime);

        using var anonymous = await c.Anonymous.GetAsync("/api/v1/sla/tiers");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.DoesNotContain("enterprise", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tiers_ConfiguredExtraTierAndAnOverride_ShowUpWithTheOtherDefaultsIntact_AndOrdersAndTheDocumentOfferThem()
    {
        await using var c = await TestCoordinator.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Coordinator:SlaTiers:gold:AvailabilityPercent"] = "99.7",
            ["Coordinator:SlaTiers:gold:MaxReplacement"] = "00:03:00",
            ["Coordinator:SlaTiers:gold:SessionLatencyMs"] = "60",
            ["Coordinator:SlaTiers:gold:DegradedShare"] = "0.8",
            ["Coordinator:SlaTiers:gold:Credits"] = "99.7=10;99.0=50",
            ["Coordinator:SlaTiers:gold:MinHostUptime"] = "0.995",
            ["Coordinator:SlaTiers:enterprise:AvailabilityPercent"] = "99.95",
        });

        var tiers = await TiersAsync(c.Admin);

        Assert.Equal(["standard", "business", "premium", "gold", "enterprise"], tiers.Select(t => t.Name));
        var gold = tiers.Single(t => t.Name == "gold");
        Assert.Equal((99.7m, 180d, 60d, 0.995), (gold.AvailabilityPercent, gold.MaxReplacementSeconds, gold.SessionLatencyMs, gold.MinHostUptime));
        Assert.Equal([(99.7m, 10m), (99.0m, 50m)], gold.Credits.Select(s => (s.BelowPercent, s.CreditPercent)));
        // The override changed the one setting; the rest of enterprise's defaults stand.
        var enterprise = tiers.Single(t => t.Name == "enterprise");
        Assert.Equal((99.95m, 120d, 0.999), (enterprise.AvailabilityPercent, enterprise.MaxReplacementSeconds, enterprise.MinHostUptime));
        Assert.Equal(4, enterprise.Credits.Count);

        using var customer = await c.CustomerAsync(Wallet.Create());
        var order = await customer.RentAsync(new { gpu = new[] { "H100" }, count = 1, maxPrice = 3, slaTier = "gold", command = new[] { "true" } });
        Assert.Equal("gold", Assert.Single(order.Leases).SlaTier);

        var doc = JsonDocument.Parse(await c.Anonymous.GetStringAsync("/openapi/v1.json")).RootElement;
        var offered = doc.GetProperty("components").GetProperty("schemas").GetProperty("OrderRequest").GetProperty("properties")
            .GetProperty("slaTier").GetProperty("enum").EnumerateArray().Select(v => v.GetString()).Order(StringComparer.Ordinal);
        Assert.Equal(["business", "enterprise", "gold", "premium", "standard"], offered);
    }

    [Fact]
    public async Task Order_UnknownTier_Is400NamingSlaTierAndTheTiers_AndNothingIsStored()
    {
        await using var c = await TestCoordinator.StartAsync();
        using var customer = await c.CustomerAsync(Wallet.Create());

        using var response = await customer.PostAsJsonAsync("/api/v1/orders",
            new { gpu = new[] { "H100" }, count = 1, maxPrice = 3, slaTier = "platinum", command = new[] { "true" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("slaTier", problem.GetProperty("field").GetString());
        Assert.Contains("'platinum' is not an SLA tier; expected one of business, enterprise, premium, standard", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await customer.LeasesAsync());
        Assert.Empty(await c.Admin.LeasesAsync());
    }

    [Fact]
    public async Task Start_WithABadTierSetting_FailsNamingTheKey()
    {
        var e = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = CoordinatorApp.Build("http://127.0.0.1:0", o =>
            {
                o.Store.DataDirectory = TestCoordinator.NewDataDir();
                o.Compliance.ApproveAllKyc = true;
            }, logging => logging.ClearProviders(), settings: new Dictionary<string, string?>
            {
                ["Coordinator:SlaTiers:enterprise:AvailabilityPercent"] = "100",
                ["Coordinator:SlaTiers:enterprise:Credits"] = "99.9=ten",
                ["Coordinator:SlaTiers:business:Credits"] = string.Join(';', Enumerable.Range(1, 17).Select(i => $"{99 - i}={i}")),
            });
            await app.StartAsync();
        });

        Assert.Contains("SlaTiers:enterprise:AvailabilityPercent: above 0 and below 100", e.Message, StringComparison.Ordinal);
        Assert.Contains("SlaTiers:enterprise:Credits: '99.9=ten' is not BELOW=PERCENT", e.Message, StringComparison.Ordinal);
        Assert.Contains("SlaTiers:business:Credits: at most 16 steps, not 17", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithMoreTiersThanTheListStates_FailsSayingHowMany()
    {
        // The tier list states its maxItems (32): a coordinator offering more would answer past its own document.
        var settings = Enumerable.Range(0, 33).ToDictionary(i => $"Coordinator:SlaTiers:tier{i:D2}:AvailabilityPercent", i => (string?)"99");
        var e = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = CoordinatorApp.Build("http://127.0.0.1:0", o => o.Store.DataDirectory = TestCoordinator.NewDataDir(),
                logging => logging.ClearProviders(), settings: settings);
            await app.StartAsync();
        });

        Assert.Contains("SlaTiers: at most 32 tiers, not ", e.Message, StringComparison.Ordinal);
    }

    private static async Task<List<SlaTierView>> TiersAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<List<SlaTierView>>("/api/v1/sla/tiers", TestCoordinator.Json))!;
}
