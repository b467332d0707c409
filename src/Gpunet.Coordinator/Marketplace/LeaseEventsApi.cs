using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Json;
using Gpunet.Coordinator.Console;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Marketplace;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Gpunet.Coordinator.Marketplace;

/// <summary><c>GET /leases/{id}/events</c>: a lease's page kept live. The lease (as <c>GET /leases/{id}</c> shows it)
/// each time it changes, and its lines as the workload writes them, from the same source as <c>gpunet logs --follow</c>
/// (<see cref="LeaseLogFeed"/>, the store behind it), as server-sent events; a reconnecting page names the last line it
/// has (<c>Last-Event-ID</c>) and gets every later one, once.</summary>
internal static class LeaseEventsApi
{
    public static RouteGroupBuilder MapLeaseEventsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/leases/{id}/events", Events).WithTags("Marketplace").WithName("LeaseEvents")
            .RequireRateLimiting(NetworkAtlasApi.StreamPolicy)
            .WithSummary("The lease live, as server-sent events: event: lease (the lease with its history, at once and after each change), " +
                "event: line (a line its workload wrote; id ATTEMPT:SEQUENCE, sent back as Last-Event-ID to resume after it), event: end (it ended; nothing follows)")
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream")
            .WithParameter("id", OpenApiContract.LeaseIdPattern).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return api;
    }

    private static async Task<Results<ServerSentEventsResult<string>, ProblemHttpResult>> Events(
        string id, ClaimsPrincipal user, HttpRequest request, LeaseStore store, Market market, LeaseLogFeed feed,
        IOptions<JsonOptions> json, CancellationToken ct)
    {
        if (!MarketApi.IsLeaseId(id))
            return MarketApi.BadId(id);
        var last = request.Headers["Last-Event-ID"].ToString();
        if (!TryPosition(last, out var position))
            return Problems.Field("Last-Event-ID", $"'{(last.Length <= 40 ? last : last[..37] + "...")}' is not a line's id: ATTEMPT:SEQUENCE as a line event gave it, e.g. 1:42");
        // Owner and operator only, decided before anything is streamed: another's lease is an unknown one.
        var lease = await store.LeaseAsync(id, ct);
        if (lease is null || !MarketApi.Visible(lease, user))
            return Problems.NotFound($"no lease {id}");
        var stream = new LeaseEventStream(store, market, feed, id, position, json.Value.SerializerOptions);
        return TypedResults.ServerSentEvents(Items(stream, ct));
    }

    /// <summary>An empty header: from the first line. Else <c>ATTEMPT:SEQUENCE</c>, both numbers.</summary>
    internal static bool TryPosition(string header, out LogPosition position)
    {
        position = new LogPosition(1, 0);
        if (header.Length == 0)
            return true;
        var colon = header.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !int.TryParse(header.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var attempt) || attempt < 1
            || !long.TryParse(header.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            return false;
        position = new LogPosition(attempt, sequence);
        return true;
    }

    private static async IAsyncEnumerable<SseItem<string>> Items(LeaseEventStream stream, [EnumeratorCancellation] CancellationToken ct)
    {
        using (stream)
        {
            while (await stream.NextAsync(ct) is { } batch)
            {
                foreach (var item in batch)
                    yield return item;
            }
        }
    }
}

/// <summary>One open lease page's stream: subscribed to the lease's lines and changes before it reads the store, so a
/// line stored before shows up in the read and one stored after is pushed, each sent once and in order.</summary>
internal sealed class LeaseEventStream(LeaseStore store, Market market, LeaseLogFeed feed, string id, LogPosition position, JsonSerializerOptions json) : IDisposable
{
    private readonly LogFollower _follower = feed.Follow(id, watchChanges: true);
    private const int Batch = 1000;

    private LogPosition _position = position;
    private long _version = -1;
    private bool _readStore = true, _more, _done;

    /// <summary>The next events (possibly none, after a quiet wait); null once the lease has ended and all was sent, or
    /// the page went away.</summary>
    public async Task<List<SseItem<string>>?> NextAsync(CancellationToken ct)
    {
        if (_done)
            return null;
        try
        {
            var items = new List<SseItem<string>>();
            if (_readStore)
            {
                await ReadStoreAsync(items, ct);
                // A long output is sent a batch at a time, the next read at once.
                if (_done || _more)
                    return items;
            }

            // Local leases' lines and changes are pushed; another coordinator's are read from the store every few seconds.
            var woken = await _follower.WaitAsync(market.ReceivesLinesOf(id) ? MarketApi.LocalPoll : MarketApi.ForeignPoll, ct);
            while (_follower.TryRead(out var line))
                Add(items, line);
            _readStore = !woken | _follower.Ended | _follower.TakeBehind() | _follower.TakeChanged();
            return items;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>The lease when it changed, then its stored lines after the position; the lease's state is read before its
    /// lines: once it has ended its lines are all stored (the market stores the end after them), so that read is the last.</summary>
    private async Task ReadStoreAsync(List<SseItem<string>> items, CancellationToken ct)
    {
        var lease = (await store.LeaseAsync(id, ct))!;
        if (lease.Version != _version)
        {
            _version = lease.Version;
            items.Add(new SseItem<string>(JsonSerializer.Serialize(await MarketApi.ViewAsync(store, lease, ct), json), "lease"));
        }

        var lines = await store.LogsAsync(id, _position, Batch, ct);
        foreach (var line in lines)
            Add(items, line);
        _more = lines.Count == Batch;
        if (!_more && LeaseLifecycle.IsEnded(Enum.Parse<LeaseState>(lease.State)))
        {
            items.Add(new SseItem<string>(JsonSerializer.Serialize(new { state = lease.State }, json), "end"));
            _done = true;
        }
    }

    private void Add(List<SseItem<string>> items, LeaseLogRecord line)
    {
        // Pushed lines the store read already gave are skipped.
        if (!_position.Precedes(line))
            return;
        _position = LogPosition.After(line);
        items.Add(new SseItem<string>(JsonSerializer.Serialize(new LogLineView(line.Sequence, line.Stream, line.Text, line.At, line.Attempt), json), "line")
        {
            EventId = string.Create(CultureInfo.InvariantCulture, $"{line.Attempt}:{line.Sequence}"),
        });
    }

    public void Dispose() => _follower.Dispose();
}
