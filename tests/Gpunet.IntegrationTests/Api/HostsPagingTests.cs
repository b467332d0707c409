using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gpunet.Cli.Client;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Api;

/// <summary>The host list answers at most its limit (10,000 by default) and names the next page in a Link header, so a
/// large network's list is never one unbounded answer; the CLI follows the pages to the end.</summary>
public sealed class HostsPagingTests
{
    [Fact]
    public async Task HostList_InPagesOfTheLimit_LinkNamesTheNext_KeepsTheFilters_TheCliFollowsThemAll()
    {
        await using var c = await TestCoordinator.StartAsync();
        await using var a = await c.ReadyAgentAsync("H100-SXM5-80GB:1", "DE");
        await using var b = await c.ReadyAgentAsync("H100-SXM5-80GB:1", "FR");
        await using var d = await c.ReadyAgentAsync("H100-SXM5-80GB:1", "NL");
        var whole = (await c.Admin.GetFromJsonAsync<JsonElement>("/api/v1/hosts")).EnumerateArray().Select(Id).ToList();
        Assert.Equal(3, whole.Count);

        // Two at a time: the first page names the second, which names none; together they are the list, in its order.
        using var first = await c.Admin.GetAsync("/api/v1/hosts?state=Ready&limit=2");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var next = Assert.Single(first.Headers.GetValues("Link"));
        Assert.Equal($"</api/v1/hosts?state=Ready&limit=2&after={whole[1]}>; rel=\"next\"", next);
        using var second = await c.Admin.GetAsync(next[1..next.IndexOf('>', StringComparison.Ordinal)]);
        Assert.False(second.Headers.Contains("Link"));
        var paged = (await first.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()
            .Concat((await second.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()).Select(Id).ToList();
        Assert.Equal(whole, paged);

        // A whole list in one page names no next one.
        using (var all = await c.Admin.GetAsync("/api/v1/hosts?limit=3"))
            Assert.False(all.Headers.Contains("Link"));

        // The CLI's client reads every page.
        using var cli = CoordinatorClient.For(new Uri(c.ApiUrl), c.AdminToken, null);
        Assert.Equal(whole, (await cli.GetAllAsync<HostView>("/api/v1/hosts?limit=1", CancellationToken.None)).Select(h => h.Id));
    }

    [Theory]
    [InlineData("after=host-zz", "after")]
    [InlineData("after=host-0123456789ab", "after")] // well formed, but no such host
    [InlineData("limit=0", "limit")]
    [InlineData("limit=10001", "limit")]
    public async Task HostList_ABadPageRequest_Is400NamingTheField(string query, string field)
    {
        await using var c = await TestCoordinator.StartAsync();
        using var r = await c.Admin.GetAsync("/api/v1/hosts?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal(field, (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
    }

    private static string Id(JsonElement host) => host.GetProperty("id").GetString()!;
}
