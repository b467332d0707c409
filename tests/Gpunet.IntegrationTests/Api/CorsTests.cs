using System.Net;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Api;

/// <summary>Browsers may read the API's answers from the web origins the operator configured (Coordinator:Edge:CorsOrigins)
/// and from nowhere else; with none configured (the default) no answer allows any other origin.</summary>
public sealed class CorsTests
{
    private const string App = "https://app.example.com";

    [Fact]
    public async Task AConfiguredOrigin_IsAllowedWithTheBudgetFieldsExposed_AnotherOriginIsNot()
    {
        // Configured as an operator may type it (a capital, a final slash); browsers send https://app.example.com.
        await using var c = await TestCoordinator.StartAsync(configure: o => o.Edge.CorsOrigins = ["https://App.example.com/", "https://other.example:8443", "https://bücher.example"]);
        using var customer = await c.CustomerAsync(Wallet.Create(), funds: 0);

        // A page of the configured origin asks before it sends a bearer token in a POST, and may.
        using (var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/orders"))
        {
            preflight.Headers.Add("Origin", App);
            preflight.Headers.Add("Access-Control-Request-Method", "POST");
            preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
            using var r = await c.Anonymous.SendAsync(preflight);
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
            Assert.Equal(App, Field(r, "Access-Control-Allow-Origin"));
            Assert.Contains("POST", Field(r, "Access-Control-Allow-Methods"), StringComparison.Ordinal);
            // A bearer token, never the browser's cookies or credentials.
            Assert.False(r.Headers.Contains("Access-Control-Allow-Credentials"));
        }

        using (var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/orders"))
        {
            preflight.Headers.Add("Origin", "https://evil.example");
            preflight.Headers.Add("Access-Control-Request-Method", "POST");
            using var r = await c.Anonymous.SendAsync(preflight);
            Assert.False(r.Headers.Contains("Access-Control-Allow-Origin"));
        }

        using (var r = await GetAsync(customer, "/api/v1/wallet", App))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal(App, Field(r, "Access-Control-Allow-Origin"));
            Assert.Contains("RateLimit", Field(r, "Access-Control-Expose-Headers"), StringComparison.Ordinal);
        }

        // A configured international name: browsers send its ASCII form.
        using (var r = await GetAsync(customer, "/api/v1/wallet", "https://xn--bcher-kva.example"))
            Assert.Equal("https://xn--bcher-kva.example", Field(r, "Access-Control-Allow-Origin"));

        // Another site's page (or a look-alike of the configured one) is told nothing: the browser keeps the answer from it.
        foreach (var other in new[] { "https://evil.example", "http://app.example.com", "https://app.example.com.evil.example" })
        {
            using var r = await GetAsync(customer, "/api/v1/wallet", other);
            Assert.False(r.Headers.Contains("Access-Control-Allow-Origin"), other);
        }
    }

    [Fact]
    public async Task ByDefault_NoOriginIsAllowed()
    {
        await using var c = await TestCoordinator.StartAsync();
        using var r = await GetAsync(c.Anonymous, "/api/v1/network", App);

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.False(r.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient http, string path, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Origin", origin);
        return await http.SendAsync(request);
    }

    private static string Field(HttpResponseMessage r, string name) =>
        string.Join(',', r.Headers.TryGetValues(name, out var values) ? values : r.Content.Headers.TryGetValues(name, out var content) ? content : []);
}
