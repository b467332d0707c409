using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.WebConsole;

/// <summary>One-time console links (<c>gpunet login --web</c>) through the real API and store: a link signs a browser in
/// once, as whoever made it, and never anyone else.</summary>
public sealed class ConsoleLinkTests
{
    [Theory]
    [MemberData(nameof(TestStores.Providers), MemberType = typeof(TestStores))]
    public async Task ALink_SignsInOnce_AsTheWalletThatMadeIt(string provider)
    {
        var dir = TestCoordinator.NewDataDir();
        await using var c = await TestCoordinator.StartAsync(dir, await TestStores.NewStoreAsync(provider, dir));
        var alice = Wallet.Create();
        using var customer = await c.CustomerAsync(alice, funds: 0);

        var link = await CreateAsync(customer);
        Assert.StartsWith(c.ApiUrl.TrimEnd('/') + "/#link=", link.Url, StringComparison.Ordinal);
        Assert.EndsWith(link.Code, link.Url, StringComparison.Ordinal);

        using var browser = await SignedInAsync(c, link.Code);
        var me = await browser.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal(("customer", alice.Address.Value), (me.GetProperty("role").GetString(), me.GetProperty("address").GetString()));

        // Used: a second opening (a replayed or leaked link) signs nobody in.
        using var again = await RedeemAsync(c, link.Code);
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
    }

    [Fact]
    public async Task ALink_NamesTheConfiguredPublicUrl_NotTheRequestsHost()
    {
        await using var c = await TestCoordinator.StartAsync(configure: o => o.Edge.PublicUrl = "https://console.example.net/");
        using var customer = await c.CustomerAsync(Wallet.Create(), funds: 0);

        // Behind a proxy the request reaches the coordinator at its own address, under whatever Host the client chose.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/console-links") { Headers = { Host = "evil.example" } };
        using var response = await customer.SendAsync(request);
        var link = (await response.Content.ReadFromJsonAsync<LinkDto>(TestCoordinator.Json))!;
        Assert.Equal($"https://console.example.net/#link={link.Code}", link.Url);
        // And it still signs in.
        using var browser = await SignedInAsync(c, link.Code);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task TheOperatorsLink_IsAnOperatorsSession_ACustomersIsNot()
    {
        await using var c = await TestCoordinator.StartAsync();
        using var customer = await c.CustomerAsync(Wallet.Create(), funds: 0);

        using var operatorBrowser = await SignedInAsync(c, (await CreateAsync(c.Admin)).Code);
        Assert.Equal("admin", (await operatorBrowser.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("role").GetString());
        using (var r = await operatorBrowser.GetAsync("/api/v1/kyc/submissions"))
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);

        using var customerBrowser = await SignedInAsync(c, (await CreateAsync(customer)).Code);
        using (var r = await customerBrowser.GetAsync("/api/v1/kyc/submissions"))
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        using (var r = await customerBrowser.GetAsync("/api/v1/ledger/verify"))
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
    }

    [Fact]
    public async Task Abuse_NoLinkWithoutSignIn_BadAndUnknownCodesRefused_ExpiredLinksOpenNothing_AWalletsLinksBounded()
    {
        await using var c = await TestCoordinator.StartAsync(configure: o => o.Console.ConsoleLinkLifetime = TimeSpan.FromMilliseconds(1));
        using (var r = await c.Anonymous.PostAsync("/api/v1/auth/console-links", null))
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);

        foreach (var code in new[] { "", "short", new string('a', 65) })
        {
            using var r = await RedeemAsync(c, code);
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Equal("code", (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        }

        using (var r = await RedeemAsync(c, new string('A', 43)))
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);

        // A 1 ms link has expired by the time anyone opens it.
        using var customer = await c.CustomerAsync(Wallet.Create(), funds: 0);
        using (var r = await RedeemAsync(c, (await CreateAsync(customer)).Code))
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
    }

    [Fact]
    public async Task AWallet_HoldsAtMostFiveUnusedLinks_ANewOneReplacesTheOldest()
    {
        await using var c = await TestCoordinator.StartAsync();
        using var customer = await c.CustomerAsync(Wallet.Create(), funds: 0);
        var links = new List<string>();
        for (var i = 0; i < 6; i++)
            links.Add((await CreateAsync(customer)).Code);

        using (var oldest = await RedeemAsync(c, links[0]))
            Assert.Equal(HttpStatusCode.Unauthorized, oldest.StatusCode);
        foreach (var code in links.Skip(1))
        {
            using var r = await RedeemAsync(c, code);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }
    }

    internal static async Task<LinkDto> CreateAsync(HttpClient signedIn)
    {
        using var r = await signedIn.PostAsync("/api/v1/auth/console-links", null);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        return (await r.Content.ReadFromJsonAsync<LinkDto>(TestCoordinator.Json))!;
    }

    private static Task<HttpResponseMessage> RedeemAsync(TestCoordinator c, string code) =>
        c.Anonymous.PostAsJsonAsync("/api/v1/auth/console-links/redeem", new { code });

    private static async Task<HttpClient> SignedInAsync(TestCoordinator c, string code)
    {
        using var r = await RedeemAsync(c, code);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var token = (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        var http = new HttpClient { BaseAddress = new Uri(c.ApiUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    internal sealed record LinkDto(string Url, string Code, DateTimeOffset ExpiresAt);
}
