using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Gpunet.Core.Compliance;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gpunet.IntegrationTests.Compliance;

/// <summary>The external-vendor adapter over real HTTP: submissions go out signed, webhooks come back and are verified,
/// de-duplicated and ordered.</summary>
public sealed class KycVendorTests : IAsyncLifetime
{
    private const string Secret = "whsec_test_0123456789abcdef";
    private readonly ConcurrentQueue<(string Signature, byte[] Body)> _received = new();
    private WebApplication _vendor = null!;
    private TestCoordinator _c = null!;

    public async Task InitializeAsync()
    {
        // A stand-in for the vendor's intake endpoint, on loopback: it records what the coordinator sends.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _vendor = builder.Build();
        _vendor.MapPost("/verifications", async (HttpRequest r) =>
        {
            using var buffer = new MemoryStream();
            await r.Body.CopyToAsync(buffer);
            _received.Enqueue((r.Headers["Gpunet-Signature"].ToString(), buffer.ToArray()));
            return Results.Accepted();
        });
        await _vendor.StartAsync();
        var url = _vendor.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _c = await TestCoordinator.StrictAsync("sqlite", o =>
        {
            o.Compliance.KycVendor = "acme";
            o.Compliance.KycVendorUrl = new Uri(url + "/verifications");
            o.Compliance.KycVendorSecret = Secret;
        });
    }

    public async Task DisposeAsync()
    {
        await _c.DisposeAsync();
        await _vendor.StopAsync();
        await _vendor.DisposeAsync();
    }

    private async Task<(HttpClient Participant, string Submission)> SubmittedAsync()
    {
        var participant = await _c.CustomerAsync(Wallet.Create(), funds: 0);
        var s = await Kyc.SubmitAsync(participant, Kyc.Person("Frank Example"));
        Assert.Equal("acme", s.GetProperty("provider").GetString());
        return (participant, s.GetProperty("id").GetString()!);
    }

    private Task<HttpResponseMessage> DeliverAsync(object body, string? secret = Secret, DateTimeOffset? signedAt = null, string? tamper = null)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/kyc/webhooks/acme")
        {
            Content = new ByteArrayContent(tamper is null ? bytes : Encoding.UTF8.GetBytes(tamper)),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (secret is not null)
            request.Headers.Add("Gpunet-Signature", WebhookSignature.Sign(Encoding.UTF8.GetBytes(secret), (signedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(), bytes));
        return _c.Anonymous.SendAsync(request);
    }

    private static object Event(string id, string reference, string status, DateTimeOffset at, bool final = false) =>
        new { eventId = id, reference, status, occurredAt = at, reason = status == "rejected" ? "document forged" : null, final };

    [Fact]
    public async Task Submission_IsSentToTheVendorSigned()
    {
        var (participant, id) = await SubmittedAsync();
        using var _ = participant;
        var sent = await Eventually.Async(() => Task.FromResult(_received.FirstOrDefault(r => Encoding.UTF8.GetString(r.Body).Contains(id, StringComparison.Ordinal)) is { Body: not null } hit ? hit.Body : null),
            b => b.Length > 0, "the vendor to receive the submission");
        var signature = _received.First(r => ReferenceEquals(r.Body, sent)).Signature;
        Assert.Equal(WebhookVerdict.Valid, WebhookSignature.Verify(Encoding.UTF8.GetBytes(Secret), signature, sent, DateTimeOffset.UtcNow, WebhookSignature.DefaultTolerance));
        Assert.Equal("Frank Example", JsonDocument.Parse(sent).RootElement.GetProperty("document").GetProperty("legalName").GetString());
    }

    [Fact]
    public async Task Webhook_Approved_AppliesOnce_AndAReplayChangesNothing()
    {
        var (participant, id) = await SubmittedAsync();
        using var _ = participant;
        var at = DateTimeOffset.UtcNow.AddSeconds(-5);

        using (var first = await DeliverAsync(Event("evt_1", id, "approved", at)))
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("Approved", await Kyc.StateAsync(participant));
        var decidedAt = (await _c.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/kyc/submissions/{id}")).GetProperty("decidedAt").GetString();

        // The same event again (a vendor retry, or an attacker replaying a captured one, freshly signed or not).
        using (var replay = await DeliverAsync(Event("evt_1", id, "approved", at)))
        {
            Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
            Assert.Contains("duplicate", await replay.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(decidedAt, (await _c.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/kyc/submissions/{id}")).GetProperty("decidedAt").GetString());
        var trail = await Kyc.AuditAsync(_c.Admin, id);
        Assert.Contains(trail, e => e.GetProperty("rule").GetString() == "kyc-webhook" && e.GetProperty("outcome").GetString()!.StartsWith("ignored: a replay", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Webhook_OlderEventArrivingLate_IsIgnored()
    {
        var (participant, id) = await SubmittedAsync();
        using var _ = participant;
        var now = DateTimeOffset.UtcNow;

        using (var newer = await DeliverAsync(Event("evt_new", id, "approved", now.AddSeconds(-1))))
            Assert.Equal(HttpStatusCode.OK, newer.StatusCode);
        using (var older = await DeliverAsync(Event("evt_old", id, "rejected", now.AddSeconds(-30))))
            Assert.Contains("out of order", await older.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("Approved", await Kyc.StateAsync(participant));
    }

    [Fact]
    public async Task Webhook_ForgedStaleOrTampered_IsRefusedRecordedAndChangesNothing()
    {
        var (participant, id) = await SubmittedAsync();
        using var _ = participant;
        var e = Event("evt_x", id, "approved", DateTimeOffset.UtcNow);

        using (var forged = await DeliverAsync(e, secret: "whsec_not_the_right_one_at_all"))
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        using (var unsigned = await DeliverAsync(e, secret: null))
            Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        using (var stale = await DeliverAsync(e, signedAt: DateTimeOffset.UtcNow.AddMinutes(-20)))
            Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        using (var tampered = await DeliverAsync(e, tamper: JsonSerializer.Serialize(Event("evt_x", id, "approved", DateTimeOffset.UtcNow, final: true))))
            Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);

        Assert.Equal("Pending", await Kyc.StateAsync(participant));
        var refused = (await Kyc.AuditAsync(_c.Admin, "webhook:acme")).Where(x => x.GetProperty("outcome").GetString()!.StartsWith("refused", StringComparison.Ordinal)).ToList();
        Assert.True(refused.Count >= 4, $"expected 4 refusals in the audit log, found {refused.Count}");

        // The genuine event still applies afterwards: the refusals consumed nothing.
        using (var genuine = await DeliverAsync(e))
            Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
        Assert.Equal("Approved", await Kyc.StateAsync(participant));
    }
}
