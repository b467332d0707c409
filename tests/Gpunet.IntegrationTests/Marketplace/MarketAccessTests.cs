using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Marketplace;

/// <summary>Who sees what, and bad orders refused with the field named and nothing created.</summary>
public sealed class MarketAccessTests
{
    [Fact]
    public async Task ACustomer_CannotSeeReadLogsOfOrCancelAnotherCustomersLease()
    {
        await using var c = await TestCoordinator.StartAsync();
        await using var agent = await c.ReadyAgentAsync("H100-SXM5-80GB:2");
        using var alice = await c.CustomerAsync(Wallet.Create());
        using var bob = await c.CustomerAsync(Wallet.Create());

        var order = await alice.RentAsync(MarketClient.Order("sleep 60"));
        var id = order.LeaseId;
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"/api/v1/leases/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"/api/v1/leases/{id}/logs")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.PostAsync($"/api/v1/leases/{id}/cancel", null)).StatusCode);
        Assert.Empty(await bob.LeasesAsync());

        // Bob's attempt changed nothing; Alice and the operator still see it placed.
        Assert.Contains((await alice.LeaseAsync(id))!.State, new[] { "Starting", "Running" });
        Assert.Single(await alice.LeasesAsync());
        Assert.Contains(await c.Admin.LeasesAsync(), l => l.Id == id);
        Assert.Equal(HttpStatusCode.OK, (await c.Admin.PostAsync($"/api/v1/leases/{id}/cancel", null)).StatusCode);
    }

    [Fact]
    public async Task Leases_WithoutAToken_AreRefused()
    {
        await using var c = await TestCoordinator.StartAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await c.Anonymous.GetAsync("/api/v1/leases")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await c.Anonymous.PostAsJsonAsync("/api/v1/orders", MarketClient.Order("true"))).StatusCode);
    }

    public static TheoryData<string, string> BadOrders => new()
    {
        { """{"gpu":["H900"],"count":1,"maxPrice":3,"command":["true"]}""", "gpu" },
        { """{"gpu":["H100"],"count":0,"maxPrice":3,"command":["true"]}""", "count" },
        { """{"gpu":["H100"],"count":9,"maxPrice":3,"command":["true"]}""", "count" },
        { """{"gpu":["H100"],"count":1,"maxPrice":-1,"command":["true"]}""", "maxPrice" },
        { """{"gpu":["H100"],"count":1,"maxPrice":1000000,"command":["true"]}""", "maxPrice" },
        { """{"gpu":["H100"],"count":1,"maxPrice":3,"hours":-2,"command":["true"]}""", "hours" },
        { """{"gpu":["H100"],"count":1,"maxPrice":3,"hours":1000000,"command":["true"]}""", "hours" },
        { """{"gpu":["H100"],"count":1,"maxPrice":3,"countries":["XX"],"command":["true"]}""", "countries" },
        { """{"gpu":["H100"],"count":1,"maxPrice":3,"command":[]}""", "command" },
        { """{"gpu":["H100"],"count":1,"maxPrice":3,"command":["  "]}""", "command" },
        { """{"gpu":["H100"],"count":1,"maxPrice":3,"restart":"sometimes","command":["true"]}""", "restart" },
        { """{"gpu":["H100"],"count":1,"maxPrice":3,"runtime":"vm","command":["true"]}""", "runtime" },
        { """{"gpu":["H100"],"count":1,"maxPrice":3,"host":"not-a-host","command":["true"]}""", "host" },
    };

    [Theory]
    [MemberData(nameof(BadOrders))]
    public async Task ABadOrder_IsRefusedNamingTheField_AndCreatesNothing(string json, string field)
    {
        await using var c = await TestCoordinator.StartAsync();
        await using var agent = await c.ReadyAgentAsync("H100-SXM5-80GB:8");
        using var customer = await c.CustomerAsync(Wallet.Create());

        using var response = await customer.PostAsync("/api/v1/orders", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == field);
        Assert.StartsWith(field, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await c.Admin.LeasesAsync());
    }

    [Theory]
    [InlineData("/api/v1/leases/lease-zz")]
    [InlineData("/api/v1/leases/host-0123456789ab")]
    public async Task ABadLeaseId_IsRefusedNamingIt(string path)
    {
        await using var c = await TestCoordinator.StartAsync();
        using var response = await c.Admin.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not a lease id", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await c.Admin.GetAsync("/api/v1/leases/lease-0123456789ab")).StatusCode);
    }
}
