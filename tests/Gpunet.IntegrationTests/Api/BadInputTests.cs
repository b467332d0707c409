using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Api;

/// <summary>Every bad input gets a 4xx problem+json that names what is wrong, never a 500.</summary>
public sealed class BadInputTests(BadInputTests.Network network) : IClassFixture<BadInputTests.Network>
{
    private readonly TestCoordinator _c = network.Coordinator;

    /// <summary>One coordinator for the whole class: every request here is refused.</summary>
    public sealed class Network : IAsyncLifetime
    {
        internal TestCoordinator Coordinator { get; private set; } = null!;

        public async Task InitializeAsync() => Coordinator = await TestCoordinator.StartAsync();

        public async Task DisposeAsync() => await Coordinator.DisposeAsync();
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage r, HttpStatusCode expected)
    {
        Assert.Equal(expected, r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
    }

    [Theory]
    [InlineData("""{"address":"0x123"}""", "address")]
    [InlineData("""{"address":"not an address at all, clearly not 0x-hex"}""", "address")]
    [InlineData("""{}""", "address")]
    // The document's form exactly: what the core's parser would trim is refused at the API.
    [InlineData("""{"address":" 0x52908400098527886E0F7030069857D2E4169EE7"}""", "address")]
    [InlineData("""{"address":"0x52908400098527886E0F7030069857D2E4169EE7\n"}""", "address")]
    public async Task Challenge_MalformedAddress_Is400NamingAddress(string body, string field)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var p = await ProblemAsync(await _c.Anonymous.PostAsync("/api/v1/auth/challenge", content), HttpStatusCode.BadRequest);
        Assert.Equal(field, p.GetProperty("field").GetString());
        Assert.StartsWith("address:", p.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"address": 12}""")]
    [InlineData("[]")]
    public async Task Challenge_MalformedJson_Is400(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var p = await ProblemAsync(await _c.Anonymous.PostAsync("/api/v1/auth/challenge", content), HttpStatusCode.BadRequest);
        Assert.Contains("JSON", p.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(".5")]
    [InlineData(" 1.5")]
    [InlineData("000000000001")] // 12 whole digits: the document allows 11
    public async Task Amount_OutsideTheDocumentsForm_Is400NamingAmount_NothingMoves(string amount)
    {
        var to = Gpunet.Core.Identity.Wallet.Create().Address.Value;
        var p = await ProblemAsync(await _c.Admin.PostAsJsonAsync("/api/v1/wallet/deposit", new { amount, to }), HttpStatusCode.BadRequest);
        Assert.Equal("amount", p.GetProperty("field").GetString());
        var wallet = await _c.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/wallet?address={to}");
        Assert.Equal("0", wallet.GetProperty("available").GetString());
    }

    [Fact]
    public async Task Transitions_LimitNotANumber_Is400SayingWhich()
    {
        var p = await ProblemAsync(await _c.Admin.GetAsync("/api/v1/hosts/host-000000000000/transitions?limit=abc"), HttpStatusCode.BadRequest);
        Assert.Contains("limit", p.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_MissingFields_Is400NamingTheField()
    {
        var p = await ProblemAsync(await _c.Anonymous.PostAsJsonAsync("/api/v1/auth/token",
            new { address = "0x52908400098527886e0f7030069857d2e4169ee7", nonce = "abc", timestamp = 1 }), HttpStatusCode.BadRequest);
        Assert.Equal("signature", p.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Query_ValueThatDoesNotParse_WithoutSigningIn_Is401NotAParameterError()
    {
        using var r = await _c.Anonymous.GetAsync("/api/v1/hosts/host-000000000000/transitions?limit=abc");
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
    }

    [Fact]
    public async Task OversizedBody_Is413()
    {
        var huge = new string('a', 200 * 1024);
        using var content = new StringContent($$"""{"address":"{{huge}}"}""", Encoding.UTF8, "application/json");
        var r = await _c.Anonymous.PostAsync("/api/v1/auth/challenge", content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r.StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/hosts?country=XX", "country", "unknown country code 'XX'")]
    [InlineData("/api/v1/hosts?state=Sleeping", "state", "unknown state 'Sleeping'")]
    [InlineData("/api/v1/hosts/not-a-host", "id", "is not a host id")]
    [InlineData("/api/v1/hosts/host-000000000000/transitions?limit=0", "limit", "between 1 and 10000")]
    [InlineData("/api/v1/leases?limit=10001", "limit", "between 1 and 10000")]
    [InlineData("/api/v1/epochs?limit=1001", "limit", "between 1 and 1000")]
    [InlineData("/api/v1/wallet/history?address=0x00000000000000000000000000000000000000aa&limit=0", "limit", "between 1 and 1000")]
    [InlineData("/api/v1/audit?limit=10001", "limit", "between 1 and 10000")]
    [InlineData("/api/v1/kyc/submissions?limit=1001", "limit", "between 1 and 1000")]
    [InlineData("/api/v1/compliance/hosts?limit=501", "limit", "between 1 and 500")]
    [InlineData("/api/v1/checks?limit=501", "limit", "between 1 and 500")]
    [InlineData("/api/v1/checkers?limit=0", "limit", "between 1 and 10000")]
    [InlineData("/api/v1/honeypots?limit=10001", "limit", "between 1 and 10000")]
    [InlineData("/api/v1/alerts?limit=0", "limit", "between 1 and 10000")]
    [InlineData("/api/v1/hosts/host-000000000000/maintenance?limit=1001", "limit", "between 1 and 1000")]
    [InlineData("/api/v1/wallet/history?before=yesterday", "before", "before: 'yesterday' is not a whole number in range")]
    [InlineData("/api/v1/wallet/history?limit=99999999999", "limit", "limit: '99999999999' is not a whole number in range")]
    [InlineData("/api/v1/leases/lease-000000000000/logs?after=x", "after", "after: 'x' is not a whole number in range")]
    [InlineData("/api/v1/leases/lease-000000000000/logs?follow=maybe", "follow", "follow: 'maybe' is not true or false")]
    [InlineData("/api/v1/leases/lease-000000000000/logs?attempt=0", "attempt", "an attempt number, 1 or more")]
    [InlineData("/api/v1/leases/lease-000000000000/logs?attempt=two&after=3", "attempt", "attempt: 'two' is not a whole number in range")]
    public async Task Query_BadFilterIdOrValue_Is400NamingTheField(string path, string field, string message)
    {
        var p = await ProblemAsync(await _c.Admin.GetAsync(path), HttpStatusCode.BadRequest);
        Assert.Equal(field, p.GetProperty("field").GetString());
        Assert.Contains(message, p.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hosts_UnknownHost_Is404()
    {
        var p = await ProblemAsync(await _c.Admin.GetAsync("/api/v1/hosts/host-0123456789ab"), HttpStatusCode.NotFound);
        Assert.Contains("host-0123456789ab", p.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("model=H1000", "unknown GPU model 'H1000'", 6)]
    [InlineData("model=H100 vrm>=80", "unknown field 'vrm'", 11)]
    [InlineData("country in [DE,ZZ]", "unknown country code", 15)]
    [InlineData("price<=cheap", "price", 7)]
    public async Task Gpus_BadQuery_Is400PointingAtTheToken(string q, string message, int position)
    {
        var p = await ProblemAsync(await _c.Admin.GetAsync("/api/v1/gpus?q=" + Uri.EscapeDataString(q)), HttpStatusCode.BadRequest);
        Assert.Contains(message, p.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(position, p.GetProperty("position").GetInt32());
        Assert.Contains("^", p.GetProperty("pointer").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRoute_Is404Problem()
    {
        await ProblemAsync(await _c.Admin.GetAsync("/api/v1/nothing-here"), HttpStatusCode.NotFound);
    }
}
