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
        var burst = System.Diagnostics.Stopwatch.StartNew(); // the bucket gets a token back each second of it
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
        Assert.InRange(statuses.Count(s => s == HttpStatusCode.OK), 50, 60 + (int)Math.Ceiling(burst.Elapsed.TotalSeconds));
        using (var r = await other.GetAsync("/api/v1/wallet/"))
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        using (var r = await c.Admin.GetAsync("/api/v1/checkers"))
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
    }

    [Fact]
    public async Task EveryAnswer_SaysWhatIsLeftOfTheBudget_ARefusalSaysNothingAndWhen_TheOperatorHasNoBudget()
    {
        await using var c = await TestCoordinator.StartAsync(configure: o => o.Access.RequestsPerMinute = 60);
        using var wallet = await c.CustomerAsync(Wallet.Create(), funds: 0);

        // Each request takes one from the wallet's 60 a minute, and the answer says what is left (a second refills one).
        var left = new List<long>();
        HttpResponseMessage? refused = null;
        // A token comes back each second, so a slow machine needs more than 60 requests to run the bucket dry.
        for (var i = 0; i < 600 && refused is null; i++)
        {
            var r = await wallet.GetAsync("/api/v1/wallet/");
            if (r.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = r;
                break;
            }

            Assert.Equal("\"participant\";q=60;w=60", Single(r, "RateLimit-Policy"));
            var (name, remaining, seconds) = Budget(Single(r, "RateLimit"));
            Assert.Equal("participant", name);
            Assert.InRange(seconds, 0, 60);
            left.Add(remaining);
            r.Dispose();
        }

        Assert.True(left.Count >= 10, $"refused after {left.Count} requests");
        Assert.True(left[^1] < left[0] - 5, $"the budget did not go down: {string.Join(',', left)}");
        Assert.NotNull(refused);
        using (refused)
        {
            var (name, remaining, seconds) = Budget(Single(refused, "RateLimit"));
            Assert.Equal(("participant", 0L), (name, remaining));
            Assert.Equal(refused.Headers.RetryAfter?.Delta, TimeSpan.FromSeconds(seconds));
        }

        // A sign-in endpoint names its stricter per-address budget too; the operator's admin token has none.
        using (var challenge = await c.Anonymous.PostAsJsonAsync("/api/v1/auth/challenge", new { address = Wallet.Create().Address.Value }))
        {
            Assert.Equal(HttpStatusCode.OK, challenge.StatusCode);
            Assert.EndsWith(", \"sign-in\";q=120;w=60", Single(challenge, "RateLimit-Policy"), StringComparison.Ordinal);
        }

        using var admin = await c.Admin.GetAsync("/api/v1/checkers");
        Assert.False(admin.Headers.Contains("RateLimit"));
        Assert.False(admin.Headers.Contains("RateLimit-Policy"));
    }

    private static string Single(HttpResponseMessage r, string field) =>
        Assert.Single(r.Headers.TryGetValues(field, out var values) ? values : []);

    // "participant";r=57;t=3
    private static (string Name, long Remaining, long Seconds) Budget(string field)
    {
        var parts = field.Split(';');
        Assert.Equal(3, parts.Length);
        Assert.StartsWith("r=", parts[1], StringComparison.Ordinal);
        Assert.StartsWith("t=", parts[2], StringComparison.Ordinal);
        return (parts[0].Trim('"'), long.Parse(parts[1][2..], System.Globalization.CultureInfo.InvariantCulture),
            long.Parse(parts[2][2..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
