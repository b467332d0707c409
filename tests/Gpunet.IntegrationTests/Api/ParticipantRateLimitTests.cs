using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Api;

/// <summary>Every participant has a request limit across the API: one wallet flooding the coordinator is refused with a
/// 429 that says when to come back, and nobody else is slowed (another wallet, the operator).</summary>
public sealed class ParticipantRateLimitTests
{
    [Fact]
    public async Task AWalletPastItsLimit_Gets429WithRetryAfter_OthersAndTheOperatorDoNot()
    {
        await using var c = await TestCoordinator.StartAsync(configure: o => o.Access.RequestsPerMinute = 60);
        using var flooder = await c.CustomerAsync(Wallet.Create(), funds: 0);
        using var other = await c.CustomerAsync(Wallet.Create(), funds: 0);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 70; i++)
        {
            using var r = await flooder.GetAsync("/api/v1/wallet/");
            statuses.Add(r.StatusCode);
            if (r.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(r.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "no Retry-After");
                Assert.Equal("Too many requests", (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
            }
        }

        // Sign-in took a few of the minute's requests; the rest of the burst passes, then the wallet is refused.
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.InRange(statuses.Count(s => s == HttpStatusCode.OK), 50, 60);
        using (var r = await other.GetAsync("/api/v1/wallet/"))
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        using (var r = await c.Admin.GetAsync("/api/v1/checkers"))
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
    }
}
