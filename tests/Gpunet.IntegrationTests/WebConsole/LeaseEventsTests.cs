using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.WebConsole;

/// <summary><c>GET /api/v1/leases/{id}/events</c> through a real coordinator with a real agent: a lease's page is told
/// its state changes and its lines as they come, resumes after the last line it had, and nobody else's lease streams.</summary>
public sealed class LeaseEventsTests
{
    private static readonly object Command = new[] { "/bin/sh", "-c", "echo one; echo two; sleep 2; echo three; sleep 60" };

    [Fact]
    public async Task ALeasesEvents_PushItsStatesAndLines_ResumeAfterTheLastLineId_AndEndWithIt()
    {
        await using var c = await TestCoordinator.StartAsync();
        await using var agent = await c.ReadyAgentAsync("H100-SXM5-80GB:8", "DE");
        using var customer = await c.CustomerAsync(Wallet.Create());
        var order = await customer.RentAsync(new { gpu = new[] { "H100" }, count = 1, maxPrice = 10, command = Command });

        string twoId;
        using (var stream = await SseStream.OpenAsync(customer, $"/api/v1/leases/{order.LeaseId}/events"))
        {
            // The lease first, as GET /leases/{id} shows it, then each change: it reaches Running without a reload.
            var first = await stream.NextAsync();
            Assert.Equal("lease", first.Event);
            Assert.Equal(order.LeaseId, first.Data.GetProperty("id").GetString());
            Assert.Equal(JsonValueKind.Array, first.Data.GetProperty("history").ValueKind);
            var seen = await stream.UntilAsync(e => e.Event == "line" && e.Data.GetProperty("text").GetString() == "three");
            Assert.Contains(seen.Prepend(first), e => e.Event == "lease" && e.Data.GetProperty("state").GetString() == "Running");
            var lines = seen.Where(e => e.Event == "line").ToList();
            Assert.Equal(["one", "two", "three"], lines.Select(e => e.Data.GetProperty("text").GetString()));
            Assert.Equal(["1:1", "1:2", "1:3"], lines.Select(e => e.Id));
            twoId = lines[1].Id!;
        }

        // A page that lost its connection after line two gets the lease again and every later line, once.
        using (var resumed = await SseStream.OpenAsync(customer, $"/api/v1/leases/{order.LeaseId}/events", twoId))
        {
            var lease = await resumed.NextAsync();
            Assert.Equal(("lease", "Running"), (lease.Event, lease.Data.GetProperty("state").GetString()));
            var next = await resumed.NextAsync();
            Assert.Equal(("line", "three", "1:3"), (next.Event, next.Data.GetProperty("text").GetString(), next.Id));

            // Cancelled: the change is pushed, then the end, and the stream closes.
            using (var cancel = await customer.PostAsync($"/api/v1/leases/{order.LeaseId}/cancel", null))
                Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
            var rest = await resumed.UntilAsync(e => e.Event == "end");
            Assert.Contains(rest, e => e.Event == "lease" && e.Data.GetProperty("state").GetString() == "Cancelled");
            Assert.DoesNotContain(rest, e => e.Event == "line");
            Assert.Equal("Cancelled", rest[^1].Data.GetProperty("state").GetString());
            Assert.Null(await resumed.ReadLineAsync());
        }
    }

    [Fact]
    public async Task Abuse_AnothersLeaseStreamsNothing_BadIdsRefused_AndStreamsShareTheConsolesCapOfFour()
    {
        await using var c = await TestCoordinator.StartAsync();
        await using var agent = await c.ReadyAgentAsync("H100-SXM5-80GB:8", "DE");
        using var alice = await c.CustomerAsync(Wallet.Create());
        using var bob = await c.CustomerAsync(Wallet.Create(), funds: 0);
        var order = await alice.RentAsync(new { gpu = new[] { "H100" }, count = 1, maxPrice = 10, command = Command });
        await alice.WaitForStateAsync(order.LeaseId, "Running");
        var path = $"/api/v1/leases/{order.LeaseId}/events";

        // Bob is told of no such lease, as a problem, before any event: not a byte of Alice's lease streams to him.
        using (var r = await bob.GetAsync(path, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
            var body = await r.Content.ReadAsStringAsync();
            Assert.DoesNotContain("event:", body, StringComparison.Ordinal);
            Assert.DoesNotContain("one", body, StringComparison.Ordinal);
        }

        using (var r = await c.Anonymous.GetAsync(path))
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        using (var r = await alice.GetAsync("/api/v1/leases/lease-nope/events"))
            Assert.Equal(("id", HttpStatusCode.BadRequest), (await FieldAsync(r), r.StatusCode));
        using (var bad = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { { "Last-Event-ID", "three" } } })
        using (var r = await alice.SendAsync(bad))
            Assert.Equal(("Last-Event-ID", HttpStatusCode.BadRequest), (await FieldAsync(r), r.StatusCode));

        // The network operator may watch any lease.
        using (var admin = await SseStream.OpenAsync(c.Admin, path))
            Assert.Equal("lease", (await admin.NextAsync()).Event);

        // One cap for the console's streams: with the network page open three times, one lease page makes four.
        var open = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < 3; i++)
                open.Add(await alice.GetAsync("/api/v1/console/network/stream", HttpCompletionOption.ResponseHeadersRead));
            open.Add(await alice.GetAsync(path, HttpCompletionOption.ResponseHeadersRead));
            Assert.All(open, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            using var fifth = await alice.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.TooManyRequests, fifth.StatusCode);
            // Bob's refused stream above took none of Alice's places, nor does her cap touch his.
            using var bobs = await bob.GetAsync("/api/v1/console/network/stream", HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, bobs.StatusCode);
        }
        finally
        {
            foreach (var r in open)
                r.Dispose();
        }
    }

    private static async Task<string?> FieldAsync(HttpResponseMessage r) =>
        (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString();
}

/// <summary>A server-sent events response read event by event.</summary>
internal sealed class SseStream : IDisposable
{
    /// <summary>Well under the coordinator's 30 s safety poll of a local lease (<c>MarketApi.LocalPoll</c>): an event that
    /// only that poll would send is a missing push, and fails here.</summary>
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(15);

    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseStream(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public sealed record Item(string Event, JsonElement Data, string? Id);

    public static async Task<SseStream> OpenAsync(HttpClient http, string path, string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is not null)
            request.Headers.Add("Last-Event-ID", lastEventId);
        // The headers come with the first events, which a stream sends at once (a lease's page shows the lease).
        using var timeout = new CancellationTokenSource(ReadTimeout);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        // The body is read only on a refusal: a stream's lasts as long as the lease.
        if (response.StatusCode != HttpStatusCode.OK)
            Assert.Fail($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new SseStream(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    public async Task<string?> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        return await _reader.ReadLineAsync(timeout.Token);
    }

    /// <summary>The next event (an event ends at a blank line).</summary>
    public async Task<Item> NextAsync()
    {
        string? name = null, data = null, id = null;
        while (await ReadLineAsync() is { } line)
        {
            if (line.Length == 0 && data is not null)
                return new Item(name ?? "message", JsonDocument.Parse(data).RootElement.Clone(), id);
            if (line.StartsWith("event: ", StringComparison.Ordinal))
                name = line["event: ".Length..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
                data = line["data: ".Length..];
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
                id = line["id: ".Length..];
        }

        throw new InvalidOperationException("the stream ended");
    }

    /// <summary>Events up to and with the first that <paramref name="last"/> picks.</summary>
    public async Task<List<Item>> UntilAsync(Func<Item, bool> last)
    {
        var items = new List<Item>();
        while (true)
        {
            items.Add(await NextAsync());
            if (last(items[^1]))
                return items;
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _response.Dispose();
    }
}
