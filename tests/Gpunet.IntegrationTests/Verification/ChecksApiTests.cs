using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Verification;

/// <summary><c>/api/v1/checks</c> from outside: signed in only, and bad input refused naming the field.</summary>
public sealed class ChecksApiTests
{
    [Fact]
    public async Task Anonymous_IsRefused_BadFiltersNameTheirField_AnUnknownCheckIsNotFound()
    {
        await using var c = await TestCoordinator.StartAsync();
        using (var anonymous = await c.Anonymous.GetAsync("/api/v1/checks"))
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var customer = await c.CustomerAsync(Gpunet.Core.Identity.Wallet.Create(), funds: 0);
        Assert.Empty(await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<List<CheckView>>(customer, "/api/v1/checks", TestCoordinator.Json) ?? [null!]);
        foreach (var (query, field) in new[] { ("host=nope", "host"), ("host=host-000000000000%0A", "host"), ("checker=0x12", "checker"), ("kind=speed", "kind"), ("limit=0", "limit"), ("limit=501", "limit") })
        {
            using var bad = await customer.GetAsync($"/api/v1/checks?{query}");
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains(field, await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var unknown = await customer.GetAsync("/api/v1/checks/chk_000000000000000000000000"))
            Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
        using (var malformed = await customer.GetAsync("/api/v1/checks/chk_x"))
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, malformed.StatusCode);
    }
}
