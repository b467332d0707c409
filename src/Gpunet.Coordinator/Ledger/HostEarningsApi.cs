using System.Security.Claims;
using Gpunet.Coordinator.Auth;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Ledger;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Coordinator.Ledger;

/// <summary>A host's earnings per settled epoch, as its settlements recorded them (<c>host_earnings</c>): for the host's
/// own operator and the network operator only.</summary>
internal static class HostEarningsApi
{
    private static readonly ListLimit Limit = new(Default: 30, Maximum: 1000);

    public static RouteGroupBuilder MapHostEarningsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/hosts/{id}/earnings", Earnings).WithTags("Wallet").WithName("GetHostEarnings")
            .WithSummary("A host's earnings")
            .WithDescription("What one of your hosts earned per settled epoch, newest first: capacity and delivery rewards, its share of fees, and what slashes and SLA credits took (its operator and the network operator)")
            .WithParameter("id", OpenApiContract.HostIdPattern).WithListLimit(Limit)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Results<Ok<List<HostEarningView>>, ProblemHttpResult>> Earnings(
        string id, int? limit, ClaimsPrincipal user, HostRegistry registry, IDbContextFactory<GpunetDb> dbs, CancellationToken ct)
    {
        if (Limit.Refuse(limit) is { } refused)
            return refused;
        // Another participant learns nothing, not even that the host exists.
        if (!registry.TryGet(id, out var host)
            || (!user.IsInRole(GpunetClaims.AdminRole)
                && !host.IsOperatedBy(user.FindFirstValue(GpunetClaims.Address))))
            return Problems.NotFound($"no host {(id.Length <= 40 ? id : id[..40] + "...")} of yours");
        await using var db = await dbs.CreateDbContextAsync(ct);
        var rows = await db.HostEarnings.AsNoTracking().Where(e => e.HostId == host.Id)
            .OrderByDescending(e => e.Epoch).Take(Limit.Of(limit)).ToListAsync(ct);
        var numbers = rows.Select(r => r.Epoch).ToList();
        var epochs = await db.Epochs.AsNoTracking().Where(e => numbers.Contains(e.Epoch)).ToDictionaryAsync(e => e.Epoch, ct);
        return TypedResults.Ok(rows.Select(r => View(r, epochs[r.Epoch])).ToList());
    }

    /// <summary>One stored row as the API shows it, in tokens (also the console's live host stream).</summary>
    internal static HostEarningView View(HostEarningRecord r, EpochRecord epoch)
    {
        static string Tokens(long baseUnits) => TokenAmount.FromBaseUnits(baseUnits).ToString();
        return new HostEarningView(r.Epoch, epoch.Start, epoch.End, Tokens(r.Capacity), Tokens(r.Delivery), Tokens(r.Fees),
            Tokens(r.Capacity + r.Delivery + r.Fees), Tokens(r.Slashed), Tokens(r.Credited));
    }
}
