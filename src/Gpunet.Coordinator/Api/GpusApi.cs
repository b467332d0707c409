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
    public static RouteGroupBuilder MapGpusApi(this RouteGroupBuilder api)
    {
        api.MapGet("/gpus", Search).WithTags("GPUs").WithName("SearchGpus")
            .WithSummary("Free GPUs on Ready hosts, one row per host and model, cheapest first; q is the query, e.g. model=H100 count>=8 country in [DE,FR] price<=2.5");
        return api;
    }

    private static Results<Ok<List<GpuOffer>>, ProblemHttpResult> Search(HostRegistry registry, string? q)
    {
        GpuQuery query;
        try
        {
            query = GpuQuery.Parse(q ?? "", GpuCatalog.IsKnown, Countries.IsKnown);
        }
        catch (GpuQueryException e)
        {
            return TypedResults.Problem(
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
        }

        var offers = Offers(registry).Where(query.Matches)
            .OrderBy(o => o.PriceUsdPerGpuHour).ThenByDescending(o => o.Count).ThenBy(o => o.HostId, StringComparer.Ordinal)
            .ToList();
        return TypedResults.Ok(offers);
    }

    /// <summary>Free GPUs per host and model. Until leases exist every GPU of a Ready host is free.</summary>
    internal static IEnumerable<GpuOffer> Offers(HostRegistry registry)
    {
        foreach (var e in registry.Entries)
        {
            if (e.State != HostState.Ready)
                continue;
            var r = e.Record;
            foreach (var group in r.Gpus.GroupBy(g => g.Model))
            {
                if (!GpuCatalog.TryGet(group.Key, out var model))
                    continue;
                yield return new GpuOffer(r.Id, model.Name, model.Family, model.VramGb, model.ComputeCapability,
                    group.Count(), r.Country, r.Region, r.PriceUsdPerGpuHour);
            }
        }
    }
}
