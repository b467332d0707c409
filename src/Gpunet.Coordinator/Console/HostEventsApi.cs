using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Gpunet.Contracts.Console;
using Gpunet.Coordinator.Auth;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Ledger;
using Gpunet.Coordinator.Marketplace;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Gpunet.Coordinator.Console;

/// <summary><c>GET /console/hosts/stream</c>: the host operator's page kept live. The caller's own hosts only (the wallet
/// its token names), as server-sent events (<see cref="HostEventStream"/>); a reconnecting page gets the snapshot again.</summary>
internal static class HostEventsApi
{
    public static RouteGroupBuilder MapHostEventsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/console/hosts/stream", Stream).WithTags("Console").WithName("StreamMyHosts")
            .RequireRateLimiting(NetworkAtlasApi.StreamPolicy)
            .WithSummary("Follow your hosts live")
            .WithDescription("Your hosts live, as server-sent events: event: hosts (the first 50 of your hosts and how many there are; at once and on every reconnection), " +
                "event: host (one of them whose state, reason or stake changed), event: check (a check of one decided), event: earnings (a settled epoch's earnings of one)")
            .Produces<HostStreamSnapshotView>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status429TooManyRequests);
        return api;
    }

    private static Results<ServerSentEventsResult<string>, ProblemHttpResult> Stream(
        ClaimsPrincipal user, HostRegistry registry, HostStakes stakes, HostTrackRecords trackRecords, IDbContextFactory<GpunetDb> dbFactory,
        IOptions<ConsoleOptions> options, IOptions<JsonOptions> json, TimeProvider time, CancellationToken ct)
    {
        // Decided before anything is streamed: the stream is about the wallet the token names, and nothing else.
        if (!Address.TryParse(user.FindFirstValue(GpunetClaims.Address), out var owner, out _))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                detail: "the network operator has no hosts of its own: sign in with a host operator's wallet");
        }

        var stream = new HostEventStream(owner, registry, stakes, trackRecords, dbFactory, time, json.Value.SerializerOptions);
        return TypedResults.ServerSentEvents(Items(stream, options.Value.HostStreamInterval, time, ct));
    }

    private static async IAsyncEnumerable<SseItem<string>> Items(HostEventStream stream, TimeSpan interval, TimeProvider time,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var batch = await stream.FirstAsync(ct);
        while (true)
        {
            foreach (var item in batch)
                yield return item;
            try
            {
                await Task.Delay(interval, time, ct);
                batch = await stream.NextAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                yield break;
            }
        }
    }
}
