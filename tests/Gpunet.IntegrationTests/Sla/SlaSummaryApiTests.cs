using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gpunet.Contracts.Sla;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Gpunet.Core.Identity;
using Gpunet.Core.Sla;
using Gpunet.IntegrationTests.Cli;
using Gpunet.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gpunet.IntegrationTests.Sla;

/// <summary><c>GET /api/v1/sla/summary</c>: the network operator's month, counted from the rows settlement and the host
/// monitor stored (seeded here as they write them, in last month so the whole month is reported); nobody else reads it.</summary>
public sealed class SlaSummaryApiTests
{
    private const long Token = 100_000_000;

    public static TheoryData<string> Providers => TestStores.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Summary_CountsLastMonthsCreditsOwedPaidAndUnpaid_AndTheHostsOverTheirSloAllowance(string provider)
    {
        await using var c = await TestCoordinator.StartAsync(db: await TestStores.NewStoreAsync(provider, TestCoordinator.NewDataDir()));
        var operatorWallet = Wallet.Create();
        await using var agent = TestAgent.Start(c.ApiUrl, "L4-24GB:2", wallet: operatorWallet);
        var named = await agent.HostIdAsync();
        var now = DateTimeOffset.UtcNow;
        var month = SlaMonth.Of(now.AddDays(-now.Day));
        var day = (int n, int hour) => month.Start.AddDays(n).AddHours(hour);
        var economics = c.App.Services.GetRequiredService<EconomicsOptions>();
        await using (var db = await c.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>().CreateDbContextAsync())
        {
            // Lease A was reckoned twice (its latest row holds the month to date; one epoch could not pay all), lease B
            // once; lease C's row is of the month before, and is not counted.
            db.SlaCredits.AddRange(
                Credit("lease-00000000000a", economics.EpochOf(day(3, 1)), month, "0x00000000000000000000000000000000000000aa", named, due: 1, paid: 1, downtime: 600),
                Credit("lease-00000000000a", economics.EpochOf(day(4, 1)), month, "0x00000000000000000000000000000000000000aa", named, due: 3, paid: 1, downtime: 1_500),
                Credit("lease-00000000000b", economics.EpochOf(day(4, 1)), month, "0x00000000000000000000000000000000000000bb", named, due: 2, paid: 2, downtime: 900),
                Credit("lease-00000000000c", economics.EpochOf(month.Start.AddDays(-3)), SlaMonth.Of(month.Start.AddDays(-3)),
                    "0x00000000000000000000000000000000000000cc", "host-00000000000c", due: 9, paid: 9, downtime: 9_000));
            // The named host was offline 45 minutes one day (over the daily 30), host b nine hours in one stretch over
            // a midnight (the month's 1 % too), host c ten minutes (offline, within its allowance).
            db.HostTransitions.AddRange(
                Went(named, "Offline", day(5, 10)), Went(named, "Ready", day(5, 10).AddMinutes(45)),
                Went("host-00000000000b", "Offline", day(9, 20)), Went("host-00000000000b", "Ready", day(10, 5)),
                Went("host-00000000000c", "Suspect", day(12, 8)), Went("host-00000000000c", "Ready", day(12, 8).AddMinutes(10)));
            await db.SaveChangesAsync();
        }

        var s = await SummaryAsync(c.Admin, $"?month={month}");

        Assert.Equal((month.ToString(), month.Start, month.End), (s.Month, s.From, s.To));
        Assert.Equal((2, 2, 1, 2_400L), (s.LeasesOwedCredit, s.CustomersOwedCredit, s.HostsOwingCredit, s.LeaseDowntimeSeconds));
        Assert.Equal(("5", "4", "1"), (s.CreditsOwed, s.CreditsPaid, s.CreditsUnpaid));
        Assert.Equal((3, 2), (s.HostsWithDowntime, s.HostsOverSlo));
        Assert.Equal((864.0 * (month.End - month.Start).Days, 1_800.0), (s.MonthlyAllowanceSeconds, s.DailyLimitSeconds));
        // Worst first: host b's nine hours (over the month's allowance, two days over the limit), then the named host.
        Assert.Equal(
            [new HostSloBreachView("host-00000000000b", "", 9 * 3_600, 2, 5 * 3_600, OverMonthlyAllowance: true),
             new HostSloBreachView(named, operatorWallet.Address.Value, 45 * 60, 1, 45 * 60, OverMonthlyAllowance: false)],
            s.WorstHosts);
    }

    [Fact]
    public async Task Summary_IsTheNetworkOperatorsOnly_AndBadMonthsAreRefusedNamingTheField()
    {
        await using var c = await TestCoordinator.StartAsync();
        using var customer = await c.CustomerAsync(Wallet.Create(), funds: 0);

        using (var r = await c.Anonymous.GetAsync("/api/v1/sla/summary"))
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        using (var r = await customer.GetAsync("/api/v1/sla/summary"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain("creditsOwed", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        foreach (var bad in new[] { "2026-13", "9998-01", "last" })
        {
            using var r = await c.Admin.GetAsync($"/api/v1/sla/summary?month={bad}");
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Equal("month", (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        }

        // An empty network's month so far: nothing owed, nobody over.
        var now = await SummaryAsync(c.Admin, "");
        Assert.Equal((SlaMonth.Of(DateTimeOffset.UtcNow).ToString(), "0", 0), (now.Month, now.CreditsOwed, now.HostsOverSlo));
    }

    [Fact]
    public async Task SlaSummaryCommand_PrintsTheMonthForTheOperator_AndACustomerIsRefused()
    {
        await using var c = await TestCoordinator.StartAsync();
        var month = SlaMonth.Of(DateTimeOffset.UtcNow).ToString();
        var home = Directory.CreateTempSubdirectory("gpunet-home-").FullName;
        var admin = new Dictionary<string, string> { ["GPUNET_ADMIN_TOKEN"] = c.AdminToken, ["GPUNET_COORDINATOR"] = c.ApiUrl };

        var json = await GpunetProcess.RunAsync(home, admin, "sla", "summary", "--month", month, "--json");
        Assert.True(json.ExitCode == 0, json.Stderr);
        var s = JsonDocument.Parse(json.Stdout).RootElement;
        Assert.Equal((month, "0", 0), (s.GetProperty("month").GetString(), s.GetProperty("creditsOwed").GetString(), s.GetProperty("hostsOverSlo").GetInt32()));
        var printed = await GpunetProcess.RunAsync(home, admin, "sla", "summary");
        Assert.True(printed.ExitCode == 0, printed.Stderr);
        Assert.Contains("Hosts over SLO", printed.Stdout, StringComparison.Ordinal);
        var bad = await GpunetProcess.RunAsync(home, admin, "sla", "summary", "--month", "March");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("--month", bad.Stderr, StringComparison.Ordinal);

        var key = Path.Combine(home, "customer.key");
        await File.WriteAllTextAsync(key, Wallet.Create().PrivateKeyHex + "\n");
        var customer = await GpunetProcess.RunAsync(home, new Dictionary<string, string> { ["GPUNET_COORDINATOR"] = c.ApiUrl, ["GPUNET_KEY"] = key }, "sla", "summary");
        Assert.NotEqual(0, customer.ExitCode);
        Assert.Contains("network operator", customer.Stderr, StringComparison.Ordinal);
    }

    private static SlaCreditRecord Credit(string lease, long epoch, SlaMonth month, string customer, string host, long due, long paid, long downtime) => new()
    {
        LeaseId = lease, Epoch = epoch, Month = month.ToString(), Customer = customer, HostId = host, Tier = "standard",
        ObligatedSeconds = 86_400, DowntimeSeconds = downtime, Availability = 1 - (downtime / 86_400.0), FeesBaseUnits = 50 * Token,
        DueBaseUnits = due * Token, CreditedBaseUnits = paid * Token, ShortBaseUnits = (due - paid) * Token, Reason = "availability below 99 %",
        At = DateTimeOffset.FromUnixTimeSeconds(epoch),
    };

    private static HostTransitionRecord Went(string host, string to, DateTimeOffset at) =>
        new() { HostId = host, From = to == "Ready" ? "Offline" : "Ready", To = to, Reason = "seeded", At = at };

    private static async Task<SlaSummaryView> SummaryAsync(HttpClient http, string query)
    {
        using var response = await http.GetAsync("/api/v1/sla/summary" + query);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<SlaSummaryView>(body, TestCoordinator.Json)!;
    }
}
