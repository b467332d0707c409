using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Marketplace;

/// <summary>Following a lease's log (<c>logs --follow</c>): lines are pushed as the agent sends them, each once and in
/// order, the stream ends with the lease, and a customer may hold only so many streams open.</summary>
[LongRunning]
public sealed class LogFollowTests
{
    private static Task<HttpResponseMessage> FollowAsync(HttpClient http, string leaseId, CancellationToken ct = default) =>
        http.GetAsync($"/api/v1/leases/{leaseId}/logs?follow=true", HttpCompletionOption.ResponseHeadersRead, ct);

    /// <summary>Reads a follow stream to its end (the lease's end), failing the test if that takes more than a minute.</summary>
    private static async Task<List<LogLineView>> ReadToEndAsync(HttpClient http, string leaseId)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await FollowAsync(http, leaseId, deadline.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(deadline.Token));
        var lines = new List<LogLineView>();
        while (await reader.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line.Length > 0)
                lines.Add(JsonSerializer.Deserialize<LogLineView>(line, TestCoordinator.Json)!);
        }

        return lines;
    }

    private static void AssertLinesOnceInOrder(List<LogLineView> lines, int count)
    {
        Assert.Equal(Enumerable.Range(1, count).Select(i => $"line {i}"), lines.Select(l => l.Text));
        Assert.True(lines.Zip(lines.Skip(1)).All(p => p.First.Sequence < p.Second.Sequence), "sequences strictly increasing");
    }

    [Fact]
    public async Task Follow_GetsTheLinesTheAgentSendsAfterItOpened_OnceInOrder_AndEndsWithTheLease()
    {
        await using var c = await TestCoordinator.StartAsync();
        await using var agent = await c.ReadyAgentAsync("H100-SXM5-80GB:1");
        using var customer = await c.CustomerAsync(Wallet.Create());
        // The first second is quiet, so the lines come after the stream opened: pushed, not read from the store.
        var order = await customer.RentAsync(MarketClient.Order("sleep 1; for i in $(seq 1 30); do echo line $i; sleep 0.02; done"));

        var lines = await ReadToEndAsync(customer, order.LeaseId);

        AssertLinesOnceInOrder(lines, 30);
        Assert.Equal("Succeeded", (await customer.LeaseAsync(order.LeaseId))!.State);
        // Opened again after the end, from a line on: what is stored after it, then the stream ends at once.
        var rest = await customer.GetStringAsync($"/api/v1/leases/{order.LeaseId}/logs?follow=true&after={lines[9].Sequence}");
        Assert.Equal(20, rest.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Follow_OfALeaseServedThroughAnotherCoordinator_OnASharedStore_StillGetsEveryLine()
    {
        var dir = TestCoordinator.NewDataDir();
        var db = TestStores.NewDatabase("sqlite", dir);
        var token = "gpa_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        await using var serving = await TestCoordinator.StartAsync(dir, db, adminToken: token);
        await using var other = await TestCoordinator.StartAsync(TestCoordinator.NewDataDir(), db, adminToken: token);
        await using var agent = await serving.ReadyAgentAsync("H100-SXM5-80GB:1");
        var wallet = Wallet.Create();
        using var throughServing = await serving.CustomerAsync(wallet);
        using var throughOther = await other.CustomerAsync(wallet, funds: 0);
        var order = await throughServing.RentAsync(MarketClient.Order("sleep 1; for i in $(seq 1 10); do echo line $i; sleep 0.1; done"));

        // The other coordinator receives none of the lines: it reads them from the store, and sees the end there.
        var lines = await ReadToEndAsync(throughOther, order.LeaseId);

        AssertLinesOnceInOrder(lines, 10);
    }

    [Fact]
    public async Task Follow_PastThePerCustomerCap_Is429_AndAClosedStreamFreesItsPlace()
    {
        await using var c = await TestCoordinator.StartAsync(configure: o => o.Market.MaxLogFollowsPerCustomer = 8);
        using var customer = await c.CustomerAsync(Wallet.Create());
        // Queued (no host registered): a lease that never ends by itself, so its follow streams stay open.
        var order = await customer.RentAsync(MarketClient.Order("true"));
        var open = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < 8; i++)
            {
                open.Add(await FollowAsync(customer, order.LeaseId));
                Assert.Equal(HttpStatusCode.OK, open[^1].StatusCode);
            }

            using (var ninth = await FollowAsync(customer, order.LeaseId))
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, ninth.StatusCode);
                var problem = await ninth.Content.ReadFromJsonAsync<JsonElement>();
                Assert.Contains("8 log streams open", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
                Assert.Equal("follow", problem.GetProperty("field").GetString());
            }

            // The operator is not limited; reading without follow never is.
            using (var admin = await FollowAsync(c.Admin, order.LeaseId))
                Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await customer.GetAsync($"/api/v1/leases/{order.LeaseId}/logs")).StatusCode);

            // One stream closed by the customer: its place is free again once the coordinator notices.
            open[0].Dispose();
            open.RemoveAt(0);
            var again = await Eventually.Async(async () =>
            {
                var r = await FollowAsync(customer, order.LeaseId);
                if (r.StatusCode == HttpStatusCode.OK)
                    return r;
                r.Dispose();
                return null;
            }, r => true, "a ninth follow to be accepted after one closed");
            open.Add(again);
        }
        finally
        {
            open.ForEach(r => r.Dispose());
        }
    }
}
