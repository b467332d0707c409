using System.Security.Claims;
using System.Security.Cryptography;
using Gpunet.Contracts.Console;
using Gpunet.Coordinator.Auth;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Console;

/// <summary>A participant's alerts, as the console shows them, and the webhook they are also sent to (signed); the
/// caller's own only.</summary>
internal static class AlertsApi
{
    /// <summary>A participant's alerts now: one per paused host and failed check at most, so a farm's worth.</summary>
    private static readonly ListLimit Limit = new(Default: 10_000, Maximum: 10_000);

    public static RouteGroupBuilder MapAlertsApi(this RouteGroupBuilder api)
    {
        var alerts = api.MapGroup("/alerts").WithTags("Console");
        alerts.MapGet("", Get).WithName("ListAlerts")
            .WithSummary("Your alerts")
            .WithDescription("Your alerts now: a balance that will not cover your running leases' next hold, a paused host, a host's failed check (the last day); each with its reason. The operator has none.")
            .WithListLimit(Limit).ProducesProblem(StatusCodes.Status400BadRequest);
        alerts.MapGet("/webhook", GetWebhook).WithName("GetAlertWebhook").WithSummary("Your alert webhook")
            .WithDescription("Where your alerts are sent, if anywhere")
            .ProducesProblem(StatusCodes.Status404NotFound);
        alerts.MapPut("/webhook", SetWebhook).WithName("SetAlertWebhook")
            .WithSummary("Send your alerts to a webhook")
            .WithDescription("Send your alerts to an https URL on the public internet, each once, signed: the answer holds the secret of the Gpunet-Signature header (shown only now)");
        alerts.MapDelete("/webhook", DeleteWebhook).WithName("DeleteAlertWebhook").WithSummary("Stop sending your alerts")
            .WithDescription("Stop sending your alerts")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Results<Ok<List<AlertView>>, ProblemHttpResult>> Get(int? limit, ClaimsPrincipal user, ParticipantAlerts alerts,
        TimeProvider time, CancellationToken ct)
    {
        if (Limit.Refuse(limit) is { } refused)
            return refused;
        return TypedResults.Ok(Wallet(user) is { } address
            ? [.. (await alerts.OfAsync(address, time.GetUtcNow(), ct)).Take(Limit.Of(limit)).Select(a => a.Alert)]
            : new List<AlertView>());
    }

    private static async Task<Results<Ok<AlertWebhookView>, ProblemHttpResult>> GetWebhook(ClaimsPrincipal user, IDbContextFactory<GpunetDb> dbs, CancellationToken ct)
    {
        if (Wallet(user) is not { } address)
            return Problems.NotFound("the operator has no alerts to send");
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.AlertWebhooks.AsNoTracking().FirstOrDefaultAsync(w => w.Address == address.Value, ct) is { } hook
            ? TypedResults.Ok(new AlertWebhookView(hook.Url, null, hook.SetAt))
            : Problems.NotFound("no alert webhook is set");
    }

    private static async Task<Results<Ok<AlertWebhookView>, ProblemHttpResult>> SetWebhook(
        AlertWebhookRequest request, ClaimsPrincipal user, IDbContextFactory<GpunetDb> dbs, IOptions<ConsoleOptions> options, TimeProvider time, CancellationToken ct)
    {
        if (Wallet(user) is not { } address)
            return Problems.Field("url", "the operator has no alerts to send: sign in with a wallet");
        if (AlertWebhookTarget.Refusal(request.Url, options.Value.AlertWebhooksAllowPrivate) is { } why)
            return Problems.Field("url", why);
        var hook = new AlertWebhookRecord
        {
            Address = address.Value, Url = request.Url!, Secret = RandomNumberGenerator.GetHexString(64, lowercase: true), SetAt = time.GetUtcNow(),
        };
        await using var db = await dbs.CreateDbContextAsync(ct);
        await db.AlertWebhooks.Where(w => w.Address == address.Value).ExecuteDeleteAsync(ct);
        db.AlertWebhooks.Add(hook);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new AlertWebhookView(hook.Url, hook.Secret, hook.SetAt));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteWebhook(ClaimsPrincipal user, IDbContextFactory<GpunetDb> dbs, CancellationToken ct)
    {
        if (Wallet(user) is not { } address)
            return Problems.NotFound("the operator has no alerts to send");
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.AlertWebhooks.Where(w => w.Address == address.Value).ExecuteDeleteAsync(ct) > 0
            ? TypedResults.NoContent()
            : Problems.NotFound("no alert webhook is set");
    }

    private static Address? Wallet(ClaimsPrincipal user) =>
        user.FindFirstValue(GpunetClaims.Address) is { } text && Address.TryParse(text, out var address, out _) ? address : null;
}
