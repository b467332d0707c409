using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Marketplace;

/// <summary>Queueing orders is limited per customer and costs real balance: a cap on waiting leases, a minimum hold per
/// lease however low the price, and the hold returned in full the moment a queued lease ends unplaced.</summary>
public sealed class QueuedOrderLimitTests
{
    /// <summary>An order nothing can place (no host is registered): it waits in the queue.</summary>
    private static object Queued(decimal maxPrice = 3, int gpuMilli = 1000, string type = "on-demand", double? hours = null, double queueMinutes = 60) => new
    {
        gpu = new[] { "H100" }, count = 1, gpuMilli, maxPrice, type, hours, queueTimeoutMinutes = queueMinutes, command = new[] { "true" },
    };

    private static async Task<(string Available, string Held)> WalletAsync(HttpClient http)
    {
        var w = await http.GetFromJsonAsync<JsonElement>("/api/v1/wallet");
        return (w.GetProperty("available").GetString()!, w.GetProperty("held").GetString()!);
    }

    private static async Task<JsonElement> RefusedAsync(HttpClient http, object order, HttpStatusCode status)
    {
        using var response = await http.PostAsJsonAsync("/api/v1/orders", order);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task VerifyLedgerAsync(TestCoordinator c)
    {
        var audit = await c.Admin.GetFromJsonAsync<JsonElement>("/api/v1/ledger/verify");
        Assert.True(audit.GetProperty("balanced").GetBoolean(), audit.ToString());
        Assert.Equal(audit.GetProperty("totalSupply").GetString(), audit.GetProperty("sumOfBalances").GetString());
    }

    [Fact]
    public async Task Orders_PastTheQueueCap_Are429_UntilOneLeaves_AndTheOperatorIsNotCounted()
    {
        await using var c = await TestCoordinator.StartAsync(configure: o => o.Market.MaxQueuedLeasesPerCustomer = 3);
        using var customer = await c.CustomerAsync(Wallet.Create(), funds: 10_000);
        var first = await customer.RentAsync(Queued());
        await customer.RentAsync(Queued());
        await customer.RentAsync(Queued());
        var held = await WalletAsync(customer);

        var problem = await RefusedAsync(customer, Queued(), HttpStatusCode.TooManyRequests);
        Assert.Contains("3 leases waiting", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, problem.GetProperty("limit").GetInt32());
        // A gang order that would take it past the cap is refused whole.
        Assert.Equal(HttpStatusCode.OK, (await customer.PostAsync($"/api/v1/leases/{first.LeaseId}/cancel", null)).StatusCode);
        await RefusedAsync(customer, new { gpu = new[] { "H100" }, count = 1, maxPrice = 3, hosts = 2, command = new[] { "true" } }, HttpStatusCode.TooManyRequests);
        var leases = await customer.LeasesAsync();
        Assert.Equal(3, leases.Count); // the refused orders created nothing
        Assert.Equal(2, leases.Count(l => l.State == "Pending"));

        // A place freed by the cancel takes one more.
        await customer.RentAsync(Queued());
        Assert.Equal(held, await WalletAsync(customer));
        for (var i = 0; i < 4; i++)
            await c.Admin.RentAsync(Queued());
        await VerifyLedgerAsync(c);
    }

    [Fact]
    public async Task QueuedOrders_AtATokenPrice_StillHoldTheMinimumEach_SoABalanceForTwoQueuesTwo()
    {
        await using var c = await TestCoordinator.StartAsync(configure: o => o.Market.MinimumLeaseHold = 10);
        using var customer = await c.CustomerAsync(Wallet.Create(), funds: 25);

        // A thousandth of a GPU at 0.0001 USD/GPU-hour: its first day comes to 0.000024 tokens, far under the minimum.
        var order = Queued(maxPrice: 0.0001m, gpuMilli: 1);
        await customer.RentAsync(order);
        await customer.RentAsync(order);
        Assert.Equal(("5", "20"), await WalletAsync(customer));

        var problem = await RefusedAsync(customer, order, HttpStatusCode.BadRequest);
        Assert.Equal("funds", problem.GetProperty("field").GetString());
        Assert.Contains("at least 10 per lease", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, (await customer.LeasesAsync()).Count);
        Assert.Equal(("5", "20"), await WalletAsync(customer));
        await VerifyLedgerAsync(c);
    }

    [Fact]
    public async Task AQueuedLease_ThatEndsUnplaced_GivesItsHoldBackAtOnce_AndTheLedgerBalances()
    {
        await using var c = await TestCoordinator.StartAsync();
        using var customer = await c.CustomerAsync(Wallet.Create(), funds: 1_000);

        // On demand: one H100 at 3 USD/h for 24 h at 0.10 USD/token holds 720 tokens.
        var onDemand = await customer.RentAsync(Queued());
        Assert.Equal(("280", "720"), await WalletAsync(customer));
        Assert.Equal(HttpStatusCode.OK, (await customer.PostAsync($"/api/v1/leases/{onDemand.LeaseId}/cancel", null)).StatusCode);
        Assert.Equal(("1000", "0"), await WalletAsync(customer));

        // Reserve: 20 hours at 3 USD/h prepay 60 USD, 600 tokens, into escrow; all of it comes back.
        var reserve = await customer.RentAsync(Queued(type: "reserve", hours: 20));
        Assert.Equal(("400", "0"), await WalletAsync(customer));
        Assert.Equal(HttpStatusCode.OK, (await customer.PostAsync($"/api/v1/leases/{reserve.LeaseId}/cancel", null)).StatusCode);
        Assert.Equal(("1000", "0"), await WalletAsync(customer));

        // A lease whose queue deadline passes unplaced: the same.
        var expiring = await customer.RentAsync(Queued(queueMinutes: 0.01));
        var expired = await customer.WaitForStateAsync(expiring.LeaseId, "Expired");
        Assert.Equal("queue-timeout", expired.EndReason);
        Assert.Equal(("1000", "0"), await Eventually.Async(() => WalletAsync(customer), w => w.Held == "0", "the hold to be returned"));
        await VerifyLedgerAsync(c);
    }
}
