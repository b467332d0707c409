using System.Net;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Api;

/// <summary>What a scanner reads from any answer: no server software named, content types to be believed, and the
/// API's answers (one caller's balances, leases and tokens) never kept by a browser or proxy cache.</summary>
public sealed class ResponseHeadersTests
{
    [Fact]
    public async Task ApiAnswers_AreNotCached_NotSniffed_NotFramed_AndNameNoServer_RefusalsMissesAndUnreadableBodiesToo()
    {
        await using var c = await TestCoordinator.StartAsync();

        using var network = await c.Anonymous.GetAsync("/api/v1/network");
        using var refused = await c.Anonymous.GetAsync("/api/v1/wallet");
        using var missing = await c.Admin.GetAsync("/api/v1/no-such-thing");
        using var signedIn = await c.Admin.GetAsync("/api/v1/hosts");
        // A body the framework cannot read is answered by the exception handler, which starts the answer afresh.
        using var notJson = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json");
        using var unreadable = await c.Anonymous.PostAsync("/api/v1/auth/challenge", notJson);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Unauthorized, HttpStatusCode.NotFound, HttpStatusCode.OK, HttpStatusCode.BadRequest),
            (network.StatusCode, refused.StatusCode, missing.StatusCode, signedIn.StatusCode, unreadable.StatusCode));
        foreach (var answer in new[] { network, refused, missing, signedIn, unreadable })
        {
            Assert.False(answer.Headers.Contains("Server"), $"{answer.RequestMessage!.RequestUri} names its server");
            Assert.Equal("nosniff", Assert.Single(answer.Headers.GetValues("X-Content-Type-Options")));
            Assert.True(answer.Headers.CacheControl?.NoStore, $"{answer.RequestMessage!.RequestUri} may be cached");
            // Opened as a document (a link, a frame), an answer runs and loads nothing and is never framed.
            Assert.Equal("default-src 'none'; frame-ancestors 'none'", Assert.Single(answer.Headers.GetValues("Content-Security-Policy")));
            Assert.Equal("DENY", Assert.Single(answer.Headers.GetValues("X-Frame-Options")));
            Assert.Equal("same-origin", Assert.Single(answer.Headers.GetValues("Cross-Origin-Resource-Policy")));
        }

        // The console's files keep their own rule: cached, but checked again before use.
        using var page = await c.Anonymous.GetAsync("/");
        Assert.True(page.Headers.CacheControl?.NoCache);
        Assert.False(page.Headers.CacheControl?.NoStore);
        Assert.False(page.Headers.Contains("Server"));
        // And their own content security policy, which lets the page's scripts and styles from this origin run.
        Assert.Contains("script-src 'self'", Assert.Single(page.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);

        // No page is framed by another site, leaks where its reader came from, or may ask for the camera: the console,
        // the API reference, the document and a miss alike.
        foreach (var path in new[] { "/", "/reference/", "/openapi/v1.json", "/no-such-page" })
        {
            using var other = await c.Anonymous.GetAsync(path);
            Assert.Equal("DENY", Assert.Single(other.Headers.GetValues("X-Frame-Options")));
            Assert.Contains("frame-ancestors 'none'", Assert.Single(other.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
            Assert.Equal("no-referrer", Assert.Single(other.Headers.GetValues("Referrer-Policy")));
            Assert.Contains("camera=()", Assert.Single(other.Headers.GetValues("Permissions-Policy")), StringComparison.Ordinal);
        }
    }
}
