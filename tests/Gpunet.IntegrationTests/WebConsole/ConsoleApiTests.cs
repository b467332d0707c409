using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.WebConsole;

/// <summary>What the console's pages read beyond the rest of the API, and the pages themselves, through a real
/// coordinator with a real agent.</summary>
public sealed class ConsoleApiTests
{
    [Fact]
    public async Task TheNetworkView_CountsHostsGpusAndLeases_ByCountryAndModel_OnlyForTheSignedIn()
    {
        await using var c = await TestCoordinator.StartAsync();
        await using var agent = await c.ReadyAgentAsync("H100-SXM5-80GB:8", "DE");
        using var customer = await c.CustomerAsync(Wallet.Create());

        using (var r = await c.Anonymous.GetAsync("/api/v1/console/network"))
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        var atlas = await customer.GetFromJsonAsync<JsonElement>("/api/v1/console/network");
        Assert.Equal(("test", 1, 8), (atlas.GetProperty("network").GetString(), atlas.GetProperty("hosts").GetInt32(), atlas.GetProperty("gpus").GetInt32()));
        Assert.Equal(1, atlas.GetProperty("hostsByState").GetProperty("Ready").GetInt32());
        var de = Assert.Single(atlas.GetProperty("countries").EnumerateArray());
        Assert.Equal(("DE", "Germany", 8), (de.GetProperty("country").GetString(), de.GetProperty("name").GetString(), de.GetProperty("gpus").GetInt32()));
        Assert.Equal(JsonValueKind.Number, de.GetProperty("latitude").ValueKind);
        var model = Assert.Single(atlas.GetProperty("models").EnumerateArray());
        Assert.Equal("H100-SXM5-80GB", model.GetProperty("model").GetString());
        Assert.Equal(JsonValueKind.Number, model.GetProperty("lowestPriceUsdPerGpuHour").ValueKind);

        var order = await customer.RentAsync(new { gpu = new[] { "H100" }, count = 2, maxPrice = 10, command = new[] { "/bin/sh", "-c", "sleep 30" } });
        await customer.WaitForStateAsync(order.LeaseId, "Running");
        await Eventually.Async(() => customer.GetFromJsonAsync<JsonElement>("/api/v1/console/network"),
            a => a.GetProperty("gpusLeased").GetInt32() == 2 && a.GetProperty("utilisation").GetDouble() == 0.25, "2 of 8 GPUs leased");
    }

    [Fact]
    public async Task TheLiveStream_SendsTheViewAsServerSentEvents_AtMostFourAtOncePerParticipant()
    {
        await using var c = await TestCoordinator.StartAsync(configure: o => o.Console.AtlasInterval = TimeSpan.FromMilliseconds(200));
        using var customer = await c.CustomerAsync(Wallet.Create(), funds: 0);
        using (var r = await c.Anonymous.GetAsync("/api/v1/console/network/stream"))
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);

        var open = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var r = await customer.GetAsync("/api/v1/console/network/stream", HttpCompletionOption.ResponseHeadersRead);
                open.Add(r);
                Assert.Equal(HttpStatusCode.OK, r.StatusCode);
                Assert.Equal("text/event-stream", r.Content.Headers.ContentType?.MediaType);
            }

            using var reader = new StreamReader(await open[0].Content.ReadAsStreamAsync());
            Assert.Equal("event: atlas", await reader.ReadLineAsync());
            var data = await reader.ReadLineAsync();
            Assert.StartsWith("data: ", data, StringComparison.Ordinal);
            Assert.Equal(0, JsonDocument.Parse(data!["data: ".Length..]).RootElement.GetProperty("hosts").GetInt32());
            // The next one comes by itself while the connection stays open.
            Assert.Equal("", await reader.ReadLineAsync());
            Assert.Equal("event: atlas", await reader.ReadLineAsync());

            using var fifth = await customer.GetAsync("/api/v1/console/network/stream", HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.TooManyRequests, fifth.StatusCode);
        }
        finally
        {
            foreach (var r in open)
                r.Dispose();
        }

        // Closed streams give their places back.
        await Eventually.Async(async () =>
        {
            using var r = await customer.GetAsync("/api/v1/console/network/stream", HttpCompletionOption.ResponseHeadersRead);
            return r.StatusCode;
        }, s => s == HttpStatusCode.OK, "a stream to open again");
    }

    [Fact]
    public async Task ASearchThatFindsNothing_SaysWhichClauseLeftOutHowMany_ABadQueryNamesQ()
    {
        await using var c = await TestCoordinator.StartAsync();
        await using var agent = await c.ReadyAgentAsync("H100-SXM5-80GB:8", "DE");
        using var customer = await c.CustomerAsync(Wallet.Create(), funds: 0);

        var why = await customer.GetFromJsonAsync<JsonElement>("/api/v1/gpus/explain?q=" + Uri.EscapeDataString("country in [FR,NL] model=H100 count>=8"));
        Assert.Equal((1, 0), (why.GetProperty("offers").GetInt32(), why.GetProperty("matched").GetInt32()));
        Assert.Equal([("country in [FR, NL]", 1), ("model=H100", 0), ("count>=8", 0)],
            why.GetProperty("clauses").EnumerateArray().Select(x => (x.GetProperty("clause").GetString(), x.GetProperty("excluded").GetInt32())));

        using var bad = await customer.GetAsync("/api/v1/gpus/explain?q=" + Uri.EscapeDataString("model=="));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("q", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        using (var r = await c.Anonymous.GetAsync("/api/v1/gpus/explain?q="))
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
    }

    [Fact]
    public async Task Hosts_FilteredByOperator_OnlyThatWalletsHosts_ABadAddressNamesTheParameter()
    {
        await using var c = await TestCoordinator.StartAsync();
        await using var a = await c.ReadyAgentAsync("H100-SXM5-80GB:8", "DE");
        await using var b = await c.ReadyAgentAsync("A100-SXM4-80GB:4", "FR");
        using var customer = await c.CustomerAsync(Wallet.Create(), funds: 0);
        var all = await customer.GetFromJsonAsync<List<JsonElement>>("/api/v1/hosts") ?? [];
        Assert.Equal(2, all.Count);
        var first = all[0].GetProperty("address").GetString()!;

        var mine = await customer.GetFromJsonAsync<List<JsonElement>>($"/api/v1/hosts?operator={first.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal)}") ?? [];
        Assert.Equal(all[0].GetProperty("id").GetString(), Assert.Single(mine).GetProperty("id").GetString());
        Assert.Empty((await customer.GetFromJsonAsync<List<JsonElement>>($"/api/v1/hosts?operator={Wallet.Create().Address.Value}"))!);

        using var bad = await customer.GetAsync("/api/v1/hosts?operator=0x12");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("operator", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());

        // A limit keeps the oldest so many; out of range it is refused, naming itself.
        Assert.Equal([all[0].GetProperty("id").GetString()], (await customer.GetFromJsonAsync<List<JsonElement>>("/api/v1/hosts?limit=1"))!.Select(h => h.GetProperty("id").GetString()));
        foreach (var limit in new[] { "0", "10001", "x" })
        {
            using var r = await customer.GetAsync($"/api/v1/hosts?limit={limit}");
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Equal("limit", (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        }
    }

    [Fact]
    public async Task Alerts_ABalanceThatWillNotCoverTheNextHold_IsOneWithItsRunway_OnlyTheCallersOwn()
    {
        await using var c = await TestCoordinator.StartAsync();
        await using var agent = await c.ReadyAgentAsync("H100-SXM5-80GB:8", "DE");
        // One GPU, held for 24 h at the most the customer pays ($3, tokens at $0.10): 720 of 800 tokens.
        using var alice = await c.CustomerAsync(Wallet.Create(), funds: 800);
        using var bob = await c.CustomerAsync(Wallet.Create(), funds: 100_000);
        using (var r = await c.Anonymous.GetAsync("/api/v1/alerts"))
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Empty((await alice.GetFromJsonAsync<List<JsonElement>>("/api/v1/alerts"))!);

        var order = await alice.RentAsync(new { gpu = new[] { "H100" }, count = 1, maxPrice = 3, command = new[] { "/bin/sh", "-c", "sleep 30" } });
        await alice.WaitForStateAsync(order.LeaseId, "Running");
        var wallet = await alice.GetFromJsonAsync<JsonElement>("/api/v1/wallet");
        var available = decimal.Parse(wallet.GetProperty("available").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var price = (await alice.LeaseAsync(order.LeaseId))!.PriceUsdPerGpuHour!.Value;

        var alert = Assert.Single((await alice.GetFromJsonAsync<List<JsonElement>>("/api/v1/alerts"))!);
        Assert.Equal("low-balance", alert.GetProperty("kind").GetString());
        Assert.Equal((double)Math.Round(available / (price / 0.10m), 2), alert.GetProperty("runwayHours").GetDouble(), 2);
        Assert.Contains("1 running lease", alert.GetProperty("message").GetString(), StringComparison.Ordinal);
        // Someone else's balance is not Bob's alert.
        Assert.Empty((await bob.GetFromJsonAsync<List<JsonElement>>("/api/v1/alerts"))!);
    }

    [Fact]
    public async Task ThePages_ServedAtTheRoot_UnderAStrictContentSecurityPolicy_NothingElseOfTheAssembly()
    {
        await using var c = await TestCoordinator.StartAsync();

        using var page = await c.Anonymous.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>Gpunet console</title>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var csp = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(page.Headers.GetValues("X-Content-Type-Options")));

        using var script = await c.Anonymous.GetAsync("/console/app.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        foreach (var path in new[] { "/console/../Gpunet.Coordinator.dll", "/Console/ConsolePages.cs", "/console/missing.js", "/appsettings.json" })
        {
            using var r = await c.Anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        }

        // The API reference stays where it was.
        using var reference = await c.Anonymous.GetAsync("/reference");
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
    }
}
