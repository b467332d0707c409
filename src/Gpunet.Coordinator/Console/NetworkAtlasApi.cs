using System.Runtime.CompilerServices;
using Gpunet.Contracts.Console;
using Gpunet.Coordinator.Api;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Marketplace;
using Gpunet.Core.Geography;
using Gpunet.Core.Gpus;
using Gpunet.Core.Query;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Console;

/// <summary>What the console's pages read beyond the rest of the API: the network at a glance (once, or as a live stream
/// of server-sent events), and why a GPU search found what it found.</summary>
internal static class NetworkAtlasApi
{
    /// <summary>At most this many live streams per participant (each holds a connection for as long as a page is open).</summary>
    public const string StreamPolicy = "console-stream";

    public static RouteGroupBuilder MapNetworkAtlasApi(this RouteGroupBuilder api)
    {
        var console = api.MapGroup("/console").WithTags("Console");
        console.MapGet("/network", Get).WithName("GetNetworkAtlas")
            .WithSummary("The network atlas")
            .WithDescription("The network at a glance: hosts by state, GPUs up and leased per country (with a point for the map) and per model (with prices), checks in the last minute");
        console.MapGet("/network/stream", Stream).WithName("StreamNetworkAtlas").RequireRateLimiting(StreamPolicy)
            .WithSummary("Follow the network atlas")
            .WithDescription("The same view as server-sent events (event: atlas), sent again every few seconds while the connection is open")
            .Produces<NetworkAtlasView>(StatusCodes.Status200OK, "text/event-stream");
        api.MapGet("/gpus/explain", Explain).WithTags("GPUs").WithName("ExplainGpuSearch")
            .WithSummary("Explain a GPU search")
            .WithDescription("Why a GPU search found what it found: offers before the query, how many matched, and how many each clause left out");
        return api;
    }

    private static Task<NetworkAtlasView> Get(NetworkAtlases atlases, CancellationToken ct) => atlases.CurrentAsync(ct);

    private static ServerSentEventsResult<NetworkAtlasView> Stream(NetworkAtlases atlases, IOptions<ConsoleOptions> options, TimeProvider time, CancellationToken ct) =>
        TypedResults.ServerSentEvents(Views(atlases, options.Value.AtlasInterval, time, ct), "atlas");

    private static async IAsyncEnumerable<NetworkAtlasView> Views(NetworkAtlases atlases, TimeSpan interval, TimeProvider time,
        [EnumeratorCancellation] CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            NetworkAtlasView view;
            try
            {
                view = await atlases.CurrentAsync(ct);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            yield return view;
            var stopped = false;
            try
            {
                await Task.Delay(interval, time, ct);
            }
            catch (OperationCanceledException)
            {
                stopped = true;
            }

            if (stopped)
                yield break;
        }
    }

    private static async Task<Results<Ok<GpuSearchExplanationView>, ProblemHttpResult>> Explain(HostRegistry registry, Market market, string? q)
    {
        GpuQuery query;
        try
        {
            query = GpuQuery.Parse(q ?? "", GpuCatalog.IsKnown, Countries.IsKnown);
        }
        catch (GpuQueryException e)
        {
            return GpusApi.QueryProblem(e);
        }

        var offers = GpusApi.Offers(registry, await market.FreeGpusNowAsync()).ToList();
        return TypedResults.Ok(new GpuSearchExplanationView(query.ToString(), offers.Count, offers.Count(query.Matches),
            [.. query.Exclusions(offers).Select(e => new ClauseExclusionView(e.Clause.ToString(), e.Excluded))]));
    }
}
