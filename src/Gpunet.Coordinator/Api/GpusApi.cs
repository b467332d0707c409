using Gpunet.Coordinator.Hosts;
using Gpunet.Core.Geography;
using Gpunet.Core.Gpus;
using Gpunet.Core.Hosts;
using Gpunet.Core.Query;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gpunet.Coordinator.Api;

/// <summary>Search of free GPUs with the query language (<c>model=H100 vram&gt;=80 country in [DE,FR]</c>).</summary>
internal static class GpusApi
{
    /// <summary>Offers per answer: the cheapest 10,000 at most.</summary>
    private static readonly ListLimit OffersLimit = new(Default: 10_000, Maximum: 10_000);

    public static RouteGroupBuilder MapGpusApi(this RouteGroupBuilder api)
    {
        api.MapGet("/gpus", Search).WithTags("GPUs").WithName("SearchGpus")
            .WithSummary("Search free GPUs")
            .WithDescription("Free GPUs on Ready hosts, one row per host and model, cheapest first; q is the query, e.g. model=H100 count>=8 country in [DE,FR] price<=2.5; " +
                "limit keeps the cheapest so many (default and most 10,000)")
            .WithListLimit(OffersLimit);
        return api;
    }

    private static async Task<Results<Ok<List<GpuOffer>>, ProblemHttpResult>> Search(HostRegistry registry, Marketplace.Market market, string? q, int? limit)
    {
        if (OffersLimit.Refuse(limit) is { } refused)
            return refused;
        GpuQuery query;
        try
        {
            query = GpuQuery.Parse(q ?? "", GpuCatalog.IsKnown, Countries.IsKnown);
        }
        catch (GpuQueryException e)
        {
            return QueryProblem(e);
        }

        var offers = Offers(registry, await market.FreeGpusNowAsync()).Where(query.Matches)
            .OrderBy(o => o.PriceUsdPerGpuHour).ThenByDescending(o => o.Count).ThenBy(o => o.HostId, StringComparer.Ordinal)
            .Take(OffersLimit.Of(limit)).ToList();
        return TypedResults.Ok(offers);
    }

    /// <summary>The 400 for a query that does not parse, pointing at the bad token.</summary>
    internal static ProblemHttpResult QueryProblem(GpuQueryException e) => TypedResults.Problem(
        detail: e.Message,
        statusCode: StatusCodes.Status400BadRequest,
        title: "Invalid GPU query",
        extensions: new Dictionary<string, object?>
        {
            ["field"] = "q",
            ["position"] = e.Position,
            ["length"] = e.Length,
            ["pointer"] = e.Pointer(),
        });

    /// <summary>Free GPUs per host and model: the market's count of wholly free GPUs for the model a host offers.</summary>
    internal static IEnumerable<GpuOffer> Offers(HostRegistry registry, IReadOnlyDictionary<string, int> free)
    {
        foreach (var e in registry.Entries)
        {
            if (e.State != HostState.Ready)
                continue;
            var r = e.Record;
            // A host offers the GPUs of its first model (see the market); a host the market has not indexed yet offers none.
            var offered = r.Gpus.OrderBy(g => g.Index).FirstOrDefault()?.Model;
            if (offered is null || !GpuCatalog.TryGet(offered, out var model) || !free.TryGetValue(r.Id, out var count) || count == 0)
                continue;
            yield return new GpuOffer(r.Id, model.Name, model.Family, model.VramGb, model.ComputeCapability,
                count, r.Country, r.Region, r.PriceUsdPerGpuHour);
        }
    }
}
