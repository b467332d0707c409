using System.Globalization;
using System.Security.Claims;
using Gpunet.Coordinator.Auth;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Ledger;
using Gpunet.Coordinator.Marketplace;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Geography;
using Gpunet.Core.Gpus;
using Gpunet.Core.Hosts;
using Gpunet.Core.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gpunet.Coordinator.Api;

/// <summary>The host registry over REST.</summary>
internal static class HostsApi
{
    private static readonly ListLimit TransitionsLimit = new(Default: 200, Maximum: 10_000);

    /// <summary>Hosts per answer: the whole list up to 10,000; a larger network's list comes in pages.</summary>
    private static readonly ListLimit HostsLimit = new(Default: 10_000, Maximum: 10_000);

    public static RouteGroupBuilder MapHostsApi(this RouteGroupBuilder api)
    {
        var hosts = api.MapGroup("/hosts").WithTags("Hosts");
        hosts.MapGet("/", List).WithName("ListHosts")
            .WithSummary("List hosts")
            .WithDescription("Every registered host, optionally filtered by state, country or operator (the wallet that registered it), oldest first, " +
                "at most limit (default and most 10,000) per answer; when more follow, the Link header's rel=\"next\" address (after: the last " +
                "host's id) answers the next page")
            .WithParameterNames<HostState>("state").WithParameter("country", OpenApiContract.CountryPattern).WithParameter("operator", OpenApiContract.AddressPattern)
            .WithParameter("after", OpenApiContract.HostIdPattern).WithListLimit(HostsLimit).WithNextPageLink();
        hosts.MapGet("/{id}", Get).WithName("GetHost").WithSummary("Get a host").WithDescription("One host with its GPUs and live status")
            .WithParameter("id", OpenApiContract.HostIdPattern).ProducesProblem(StatusCodes.Status404NotFound);
        hosts.MapGet("/{id}/transitions", Transitions).WithName("GetHostTransitions")
            .WithSummary("A host's state changes").WithDescription("The host's lifecycle history: every state change with its time and reason")
            .WithParameter("id", OpenApiContract.HostIdPattern).WithListLimit(TransitionsLimit).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static Results<Ok<List<HostView>>, ProblemHttpResult> List(
        HostRegistry registry, ClaimsPrincipal user, string? state, string? country, [FromQuery(Name = "operator")] string? operatorAddress, HostStakes stakes,
        HostTrackRecords trackRecords, int? limit, string? after, HttpResponse response)
    {
        if (HostsLimit.Refuse(limit) is { } refused)
            return refused;
        Address? owner = null;
        if (!string.IsNullOrEmpty(operatorAddress))
        {
            if (!ApiInput.TryAddress(operatorAddress, out var a, out var error))
                return Problems.Field("operator", error);
            owner = a;
        }

        HostState? wanted = null;
        if (!string.IsNullOrEmpty(state))
        {
            if (!Enum.TryParse<HostState>(state, ignoreCase: true, out var s) || !Enum.IsDefined(s))
                return Problems.Field("state", $"unknown state '{state}'; expected one of {string.Join(", ", Enum.GetNames<HostState>())}");
            wanted = s;
        }

        if (!string.IsNullOrEmpty(country) && !Countries.IsKnown(country))
            return Problems.Field("country", $"unknown country code '{country}'");

        HostEntry? from = null;
        if (after is not null && (!HostId.TryParse(after, out _) || !registry.TryGet(after, out from)))
            return Problems.Field("after", $"'{after}' is no registered host's id: give the last id of the page before");

        var admin = user.IsInRole(GpunetClaims.AdminRole);
        var take = HostsLimit.Of(limit);
        var page = (owner is { } o ? registry.OwnedBy(o) : registry.Entries)
            .Where(e => wanted is null || e.State == wanted)
            .Where(e => string.IsNullOrEmpty(country) || string.Equals(e.Record.Country, country, StringComparison.OrdinalIgnoreCase))
            .Where(e => from is null || After(e, from))
            .OrderBy(e => e.Record.RegisteredAt).ThenBy(e => e.Id, StringComparer.Ordinal)
            .Take(take + 1)
            .ToList();
        if (page.Count > take)
        {
            page.RemoveAt(take);
            // The next page's address, from the request's own (checked) filters: relative, so a proxy's prefix is kept.
            var next = new Dictionary<string, string?>
            {
                ["state"] = state, ["country"] = country, ["operator"] = operatorAddress,
                ["limit"] = limit?.ToString(CultureInfo.InvariantCulture), ["after"] = page[^1].Id,
            }.Where(p => !string.IsNullOrEmpty(p.Value));
            var request = response.HttpContext.Request;
            response.Headers.Link = $"<{request.PathBase}{request.Path}{QueryString.Create(next)}>; rel=\"next\"";
        }

        return TypedResults.Ok(page.ConvertAll(e => View(e, admin, stakes, trackRecords)));
    }

    // Whether a host comes after another in the list's order: registration time, then id.
    private static bool After(HostEntry e, HostEntry from) =>
        e.Record.RegisteredAt > from.Record.RegisteredAt
        || (e.Record.RegisteredAt == from.Record.RegisteredAt && string.CompareOrdinal(e.Id, from.Id) > 0);

    private static Results<Ok<HostView>, ProblemHttpResult> Get(string id, HostRegistry registry, ClaimsPrincipal user, HostStakes stakes, HostTrackRecords trackRecords)
    {
        if (!HostId.TryParse(id, out _))
            return Problems.Field("id", $"'{id}' is not a host id (host- followed by 12 hex digits)");
        return registry.TryGet(id, out var entry)
            ? TypedResults.Ok(View(entry, user.IsInRole(GpunetClaims.AdminRole), stakes, trackRecords))
            : Problems.NotFound($"no host {id}");
    }

    private static async Task<Results<Ok<List<TransitionView>>, ProblemHttpResult>> Transitions(
        string id, HostRegistry registry, HostStore store, int? limit, CancellationToken ct)
    {
        if (!HostId.TryParse(id, out _))
            return Problems.Field("id", $"'{id}' is not a host id (host- followed by 12 hex digits)");
        if (TransitionsLimit.Refuse(limit) is { } refused)
            return refused;
        if (!registry.TryGet(id, out _))
            return Problems.NotFound($"no host {id}");
        var rows = await store.TransitionsAsync(id, TransitionsLimit.Of(limit), ct);
        return TypedResults.Ok(rows.Select(r => new TransitionView(r.From, r.To, r.Reason, r.At)).ToList());
    }

    internal static HostView View(HostEntry e, bool admin, HostStakes stakes, HostTrackRecords trackRecords)
    {
        var r = e.Record;
        var (state, reason, since) = e.Snapshot();
        var status = e.GpuStatus;
        var standing = trackRecords.Of(e.Id);
        var gpus = r.Gpus.Select(g =>
        {
            var s = status?.FirstOrDefault(x => x.Index == g.Index);
            return new GpuView(
                g.Index, g.Model, GpuCatalog.TryGet(g.Model, out var m) ? m.VramGb : (int)(g.MemoryTotalMib / 1024), g.Uuid,
                s is null || s.UtilizationPct < 0 ? null : s.UtilizationPct,
                s is null || s.TemperatureC < 0 ? null : s.TemperatureC,
                s is null || s.MemoryUsedMib < 0 ? null : s.MemoryUsedMib);
        }).ToList();
        return new HostView(
            r.Id, r.Address, state.ToString(), reason, since, r.Country, r.Region, r.Latitude, r.Longitude,
            admin ? r.PublicIp : null, r.Hostname, r.PriceUsdPerGpuHour, r.RegisteredAt, e.LastHeardAt, e.Connected,
            e.Heartbeats, r.Simulated, r.DriverVersion, r.CudaVersion, gpus, stakes.Staked(e).ToString(), stakes.Required(e).ToString(), stakes.Paused(e),
            Math.Round(standing.Reputation, 4), standing.MeasuredAt?.Latitude, standing.MeasuredAt?.Longitude);
    }
}
