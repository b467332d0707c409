using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gpunet.Coordinator.Console;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Gpunet.IntegrationTests.WebConsole;

/// <summary>Alerts sent to the participant's webhook: each once, signed with the secret only its owner saw; and a
/// webhook URL cannot make the coordinator call its own network.</summary>
public sealed class AlertWebhookTests
{
    [Fact]
    public async Task ALowBalance_IsPostedToTheWebhookOnce_SignedWithItsSecret()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var c = await TestCoordinator.StartAsync(configure: o =>
        {
            o.Console.AlertWebhooksAllowPrivate = true; // the receiver is on the loopback
            o.Console.AlertWebhookInterval = TimeSpan.FromHours(1); // rounds are driven by the test
        });
        await using var agent = await c.ReadyAgentAsync("H100-SXM5-80GB:8", "DE");
        var wallet = Wallet.Create();
        using var alice = await c.CustomerAsync(wallet, funds: 800);
        var order = await alice.RentAsync(new { gpu = new[] { "H100" }, count = 1, maxPrice = 3, command = new[] { "/bin/sh", "-c", "sleep 30" } });
        await alice.WaitForStateAsync(order.LeaseId, "Running");

        using var set = await alice.PutAsJsonAsync("/api/v1/alerts/webhook", new { url = receiver.Url });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var secret = (await set.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        // Shown once: reading the webhook back gives its URL, not its secret.
        var read = await alice.GetFromJsonAsync<JsonElement>("/api/v1/alerts/webhook");
        Assert.Equal((receiver.Url, JsonValueKind.Null), (read.GetProperty("url").GetString(), read.GetProperty("secret").ValueKind));

        var sender = c.App.Services.GetServices<IHostedService>().OfType<AlertWebhookSender>().Single();
        await sender.SendDueAsync(CancellationToken.None);
        await sender.SendDueAsync(CancellationToken.None);

        var (signature, body) = Assert.Single(receiver.Received);
        var parts = signature.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var mac = HMACSHA256.HashData(Convert.FromHexString(secret), Encoding.UTF8.GetBytes($"{parts["t"]}.{body}"));
        Assert.Equal(Convert.ToHexStringLower(mac), parts["v1"]);
        var posted = JsonDocument.Parse(body).RootElement;
        Assert.Equal(wallet.Address.Value, posted.GetProperty("address").GetString());
        Assert.Equal("low-balance", Assert.Single(posted.GetProperty("alerts").EnumerateArray()).GetProperty("kind").GetString());

        using (var deleted = await alice.DeleteAsync("/api/v1/alerts/webhook"))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using (var gone = await alice.GetAsync("/api/v1/alerts/webhook"))
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task AWebhookThatNeverAnswers_DoesNotHoldUpAnotherParticipantsAlerts()
    {
        await using var silent = await Receiver.StartAsync(hold: true);
        await using var prompt = await Receiver.StartAsync();
        await using var c = await TestCoordinator.StartAsync(configure: o =>
        {
            o.Console.AlertWebhooksAllowPrivate = true;
            o.Console.AlertWebhookInterval = TimeSpan.FromHours(1);
        });
        await using var agent = await c.ReadyAgentAsync("H100-SXM5-80GB:8", "DE");
        // The round goes through the webhooks by address: the silent one's owner comes first.
        var wallets = new[] { Wallet.Create(), Wallet.Create() }.OrderBy(w => w.Address.Value, StringComparer.Ordinal).ToArray();
        foreach (var (wallet, receiver) in wallets.Zip([silent, prompt]))
        {
            using var customer = await c.CustomerAsync(wallet, funds: 800);
            var order = await customer.RentAsync(new { gpu = new[] { "H100" }, count = 1, maxPrice = 3, command = new[] { "/bin/sh", "-c", "sleep 60" } });
            await customer.WaitForStateAsync(order.LeaseId, "Running");
            using var set = await customer.PutAsJsonAsync("/api/v1/alerts/webhook", new { url = receiver.Url });
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }

        var sender = c.App.Services.GetServices<IHostedService>().OfType<AlertWebhookSender>().Single();
        var round = sender.SendDueAsync(CancellationToken.None);

        // The second participant is told while the first one's webhook still holds its request open (one after the
        // other, the sender would have given that request up, after its timeout, first).
        await Eventually.Async(() => Task.FromResult(prompt.Received.Count), n => n == 1, "the prompt webhook to get its alert");
        Assert.Equal((1, false), (silent.Holding, silent.Aborted));
        silent.Release();
        await round;
        Assert.Single(silent.Received);
    }

    [Fact]
    public async Task AWebhookUrl_OnlyHttpsOnThePublicInternet_NoneWithoutSignIn_NothingChangedByARefusal()
    {
        await using var c = await TestCoordinator.StartAsync();
        using var alice = await c.CustomerAsync(Wallet.Create(), funds: 0);
        using (var r = await c.Anonymous.PutAsJsonAsync("/api/v1/alerts/webhook", new { url = "https://example.com/hook" }))
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);

        foreach (var url in new[]
        {
            "http://example.com/hook", "ftp://example.com/hook", "https://127.0.0.1/hook", "https://localhost/hook", "https://10.0.0.5/hook",
            "https://169.254.169.254/latest/meta-data", "https://[::1]/hook", "https://[::ffff:127.0.0.1]/hook", "https://user:pw@example.com/hook",
            "not a url", "",
        })
        {
            using var r = await alice.PutAsJsonAsync("/api/v1/alerts/webhook", new { url });
            Assert.True(r.StatusCode == HttpStatusCode.BadRequest, $"{url}: {r.StatusCode}");
            Assert.Equal("url", (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        }

        using (var none = await alice.GetAsync("/api/v1/alerts/webhook"))
            Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }

    /// <summary>A webhook receiver on the loopback that keeps each POST's signature header and body; one that holds
    /// answers each request only when released, and notes a request its client gave up.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _holding;
        private volatile bool _aborted;

        private Receiver(WebApplication app, string url)
        {
            _app = app;
            Url = url;
        }

        public string Url { get; }

        public ConcurrentQueue<(string Signature, string Body)> Received { get; } = new();

        /// <summary>Requests held open now.</summary>
        public int Holding => Volatile.Read(ref _holding);

        /// <summary>Whether a held request was given up by its client.</summary>
        public bool Aborted => _aborted;

        public void Release() => _release.TrySetResult();

        public static async Task<Receiver> StartAsync(bool hold = false)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            Receiver? self = null;
            app.MapPost("/hook", async (HttpContext http) =>
            {
                using var reader = new StreamReader(http.Request.Body);
                var body = await reader.ReadToEndAsync();
                if (hold)
                {
                    Interlocked.Increment(ref self!._holding);
                    using (http.RequestAborted.Register(() => self._aborted = true))
                        await Task.WhenAny(self._release.Task, Task.Delay(Timeout.Infinite, http.RequestAborted));
                    Interlocked.Decrement(ref self._holding);
                }

                self!.Received.Enqueue((http.Request.Headers["Gpunet-Signature"].ToString(), body));
                return Results.Ok();
            });
            await app.StartAsync();
            self = new Receiver(app, app.Urls.First() + "/hook");
            return self;
        }

        public ValueTask DisposeAsync()
        {
            Release();
            return _app.DisposeAsync();
        }
    }
}
