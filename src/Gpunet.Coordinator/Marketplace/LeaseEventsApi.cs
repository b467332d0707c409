using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Gpunet.Coordinator.Console;
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
            .WithSummary("Follow a lease live")
            .WithDescription("The lease live, as server-sent events: event: lease (the lease with its history, at once and after each change), " +
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
