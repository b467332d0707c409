using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Gpunet.IntegrationTests.WebConsole;

/// <summary>Every console page's calls on a network of 10,000 hosts (written straight into a real coordinator's store,
/// as the placement and settlement benches seed theirs): the counts are right and no answer lists the hosts unbounded;
/// the browser draws the network page's counts and map. How long the page took is written out, never asserted.</summary>
public sealed class TenThousandHostsTests(ITestOutputHelper output)
{
    private const int Hosts = 10_000, Operators = 100;
    private static readonly (string Code, double Lat, double Lon)[] Places = [("DE", 51, 10), ("FR", 46, 2), ("US", 39, -98), ("JP", 36, 138), ("BR", -10, -52)];
    private static readonly string[] Models = ["H100-SXM5-80GB", "A100-SXM4-80GB"];

    /// <summary>Host i: Offline when i % 10 is 0 (not heard for two hours), Paused when 1 (held, as a failed check holds
    /// a host), else Ready; 1 to 4 GPUs; run by operator i % 100.</summary>
    private static string StateOf(int i) => (i % 10) switch { 0 => "Offline", 1 => "Paused", _ => "Ready" };

    private static int GpusOf(int i) => 1 + (i % 4);

    [Fact]
    public async Task EveryPage_OnTenThousandHosts_CountsRight_ListsBounded_AndTheBrowserDrawsTheNetwork()
    {
        var dir = TestCoordinator.NewDataDir();
        var operators = Enumerable.Range(0, Operators).Select(_ => Wallet.Create()).ToArray();
        // A first start makes the store; the hosts are written while no coordinator runs, and the second loads them all.
        await using (var first = await TestCoordinator.StartAsync(dir))
            await SeedAsync(first, operators);
        // Heartbeats are not expected for an hour: the seeded states hold while the test reads them.
        await using var c = await TestCoordinator.StartAsync(dir, configure: o =>
        {
            o.Hosts.HeartbeatInterval = TimeSpan.FromMinutes(5);
            o.Hosts.OfflineGracePeriod = TimeSpan.FromHours(1);
            o.Metering.UsageLateness = TimeSpan.FromMinutes(15);
        });
        var holds = c.App.Services.GetRequiredService<HostHolds>();
        foreach (var i in Enumerable.Range(0, Hosts).Where(i => StateOf(i) == "Paused"))
            holds.Hold(HostName(i), "seeded hold: a failed capacity check");
        using var customer = await c.CustomerAsync(Wallet.Create(), funds: 0);
        var ready = Enumerable.Range(0, Hosts).Where(i => StateOf(i) == "Ready").ToList();

        // Network: aggregates, one row per country and model whatever the hosts.
        var atlas = await Eventually.Async(() => customer.GetFromJsonAsync<JsonElement>("/api/v1/console/network"),
            a => Count(a, "Paused") == 1000, "the held hosts paused", seconds: 60);
        Assert.Equal(Hosts, atlas.GetProperty("hosts").GetInt32());
        Assert.Equal((ready.Count, 1000), (Count(atlas, "Ready"), Count(atlas, "Offline")));
        // GPUs up: on every host but the offline ones (a paused host's GPUs are still there).
        Assert.Equal(Enumerable.Range(0, Hosts).Where(i => StateOf(i) != "Offline").Sum(GpusOf), atlas.GetProperty("gpus").GetInt32());
        var countries = atlas.GetProperty("countries").EnumerateArray().ToList();
        Assert.Equal(Places.Length, countries.Count);
        Assert.Equal(Hosts, countries.Sum(x => x.GetProperty("hosts").GetInt32()));
        Assert.Equal(Models.Length, atlas.GetProperty("models").GetArrayLength());

        // Marketplace: the cheapest 100 of every Ready host's offer, and the count of all of them.
        var why = await Eventually.Async(() => customer.GetFromJsonAsync<JsonElement>("/api/v1/gpus/explain?q="),
            w => w.GetProperty("offers").GetInt32() == ready.Count, "every Ready host offered");
        Assert.Equal(ready.Count, why.GetProperty("matched").GetInt32());
        var offers = await customer.GetFromJsonAsync<List<JsonElement>>("/api/v1/gpus?q=&limit=100");
        Assert.Equal(100, offers!.Count);
        var prices = offers.Select(o => o.GetProperty("priceUsdPerGpuHour").GetDecimal()).ToList();
        Assert.Equal(prices.Order(), prices);
        Assert.Equal(ready.Min(Price), prices[0]);
        var french = await customer.GetFromJsonAsync<List<JsonElement>>("/api/v1/gpus?q=country%3DFR&limit=100");
        Assert.Equal(100, french!.Count);
        Assert.All(french, o => Assert.Equal("FR", o.GetProperty("country").GetString()));
        using (var r = await customer.GetAsync("/api/v1/gpus?limit=0"))
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);

        // My hosts: an operator's own hundred, not the network's ten thousand.
        using (var farmer = await c.CustomerAsync(operators[7], funds: 0))
        {
            var mine = await farmer.GetFromJsonAsync<List<JsonElement>>($"/api/v1/hosts?operator={operators[7].Address.Value}");
            Assert.Equal(Hosts / Operators, mine!.Count);
            Assert.All(mine, h => Assert.Equal(operators[7].Address.Value, h.GetProperty("address").GetString(), ignoreCase: true));
        }

        // Operator: the ledger audit, epochs and leases bounded by their limits, an SLA report on one seeded host.
        Assert.Equal(JsonValueKind.Object, (await c.Admin.GetFromJsonAsync<JsonElement>("/api/v1/ledger/verify")).ValueKind);
        Assert.InRange((await c.Admin.GetFromJsonAsync<List<JsonElement>>("/api/v1/epochs?limit=50"))!.Count, 0, 50);
        var report = await c.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/sla/report?host={HostName(12)}");
        Assert.Equal(("host", HostName(12)), (report.GetProperty("subject").GetString(), report.GetProperty("id").GetString()));

        // The browser: the network page's counts and a circle per country on the map.
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.PageAsync();
        var link = (await ConsoleLinkTests.CreateAsync(customer)).Url;
        var watch = Stopwatch.StartNew();
        await page.GotoAsync(link);
        await Expect(page.Locator("#stat-hosts .value")).ToHaveTextAsync("10,000");
        await Expect(page.Locator("svg.map g[data-country] circle")).ToHaveCountAsync(Places.Length);
        watch.Stop();
        await Expect(page.Locator("#stat-ready .value")).ToHaveTextAsync(ready.Count.ToString("N0", CultureInfo.InvariantCulture));
        await Expect(page.Locator("#stat-offline .value")).ToHaveTextAsync("1,000");
        output.WriteLine($"network page with {Hosts:N0} hosts: counts and map drawn {watch.ElapsedMilliseconds} ms after the link was opened (measured, not asserted)");
        await Browser.ScreenshotAsync(page, "network-10000-hosts");
    }

    private static int Count(JsonElement atlas, string state) =>
        atlas.GetProperty("hostsByState").TryGetProperty(state, out var n) ? n.GetInt32() : 0;

    private static string HostName(int i) => "host-" + i.ToString("x12", CultureInfo.InvariantCulture);

    private static decimal Price(int i) => 1.5m + (i % 50) * 0.05m;

    /// <summary>10,000 hosts with their GPUs in the store, in batches, as a registration would leave them.</summary>
    private static async Task SeedAsync(TestCoordinator c, Wallet[] operators)
    {
        var factory = c.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>();
        var now = DateTimeOffset.UtcNow;
        for (var start = 0; start < Hosts; start += 1000)
        {
            await using var db = await factory.CreateDbContextAsync();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = start; i < start + 1000; i++)
            {
                var id = HostName(i);
                var place = Places[i % Places.Length];
                var offline = StateOf(i) == "Offline";
                var host = new HostRecord
                {
                    Id = id, Address = operators[i % Operators].Address.Value, Fingerprint = "seed-" + id, Hostname = "seed-" + i.ToString(CultureInfo.InvariantCulture),
                    Country = place.Code, Latitude = place.Lat, Longitude = place.Lon, PriceUsdPerGpuHour = Price(i),
                    State = offline ? "Offline" : "Ready", StateSince = now.AddHours(-1), RegisteredAt = now.AddHours(-3),
                    LastHeardAt = offline ? now.AddHours(-2) : now, HeardSince = now.AddHours(offline ? -3 : -1), Simulated = true,
                };
                for (var g = 0; g < GpusOf(i); g++)
                    host.Gpus.Add(new GpuRecord { HostId = id, Index = g, Uuid = $"GPU-{i:x8}-{g}", Model = Models[i % Models.Length], MemoryTotalMib = 81_559 });
                db.Hosts.Add(host);
            }

            await db.SaveChangesAsync();
        }
    }
}
