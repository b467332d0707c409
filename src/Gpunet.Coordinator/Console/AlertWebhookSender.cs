using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gpunet.Contracts.Console;
using Gpunet.Coordinator.Leadership;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Console;

/// <summary>Sends each participant's new alerts to their webhook, each alert once: a POST of
/// <c>{"address", "alerts": [...]}</c> signed in the <c>Gpunet-Signature</c> header (<c>t=UNIX,v1=HEX</c>, the
/// HMAC-SHA256 of <c>t.body</c> with the webhook's secret), as the network's leader only (so several coordinators send
/// it once). An alert not delivered (no answer, not 2xx) is tried again next round.</summary>
internal sealed partial class AlertWebhookSender(
    IDbContextFactory<GpunetDb> dbFactory, ParticipantAlerts alerts, ILeadership leadership, IOptions<ConsoleOptions> options, TimeProvider time,
    ILogger<AlertWebhookSender> log) : BackgroundService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan Remembered = TimeSpan.FromDays(7);
    private readonly HttpClient _http = AlertWebhookTarget.Client(options.Value.AlertWebhooksAllowPrivate, TimeSpan.FromSeconds(10));

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Concurrency.LoopTimer.RunAsync(options.Value.AlertWebhookInterval, time, async ct =>
        {
            if (leadership.Fence is not null)
                await SendDueAsync(ct);
        }, e => LogRoundFailed(log, e), stoppingToken);

    /// <summary>Webhooks posted to at once: a round waits on the slowest of each batch, not on every dead hook in turn
    /// (each may take the 10 s timeout).</summary>
    internal const int ParallelPosts = 16;

    /// <summary>One round: every webhook's new alerts sent.</summary>
    internal async Task SendDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        List<AlertWebhookRecord> hooks;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var forgotten = now - Remembered;
            await db.AlertDeliveries.Where(d => d.SentAt < forgotten).ExecuteDeleteAsync(ct);
            hooks = await db.AlertWebhooks.AsNoTracking().OrderBy(w => w.Address).Take(10_000).ToListAsync(ct);
        }

        await Parallel.ForEachAsync(hooks, new ParallelOptions { MaxDegreeOfParallelism = ParallelPosts, CancellationToken = ct },
            (hook, token) => new ValueTask(SendAsync(hook, now, token)));
    }

    /// <summary>One webhook's alerts not yet delivered, posted, and remembered once answered with 2xx.</summary>
    private async Task SendAsync(AlertWebhookRecord hook, DateTimeOffset now, CancellationToken ct)
    {
        if (!Address.TryParse(hook.Address, out var address, out _))
            return;
        var current = await alerts.OfAsync(address, now, ct);
        if (current.Count == 0)
            return;
        var keys = current.Select(a => a.Key).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var sent = await db.AlertDeliveries.AsNoTracking().Where(d => d.Address == hook.Address && keys.Contains(d.Key)).Select(d => d.Key).ToListAsync(ct);
        var fresh = current.Where(a => !sent.Contains(a.Key)).ToList();
        if (fresh.Count == 0 || !await PostAsync(hook, fresh.Select(a => a.Alert).ToList(), now, ct))
            return;
        db.AlertDeliveries.AddRange(fresh.Select(a => new AlertDeliveryRecord { Address = hook.Address, Key = a.Key, SentAt = now }));
        await db.SaveChangesAsync(ct);
    }

    private async Task<bool> PostAsync(AlertWebhookRecord hook, List<AlertView> fresh, DateTimeOffset now, CancellationToken ct)
    {
        var body = JsonSerializer.Serialize(new { address = hook.Address, alerts = fresh }, Json);
        var stamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Convert.FromHexString(hook.Secret), Encoding.UTF8.GetBytes($"{stamp}.{body}"));
        using var request = new HttpRequestMessage(HttpMethod.Post, hook.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Gpunet-Signature", $"t={stamp},v1={Convert.ToHexStringLower(mac)}");
        try
        {
            using var response = await _http.SendAsync(request, ct);
            if (response.IsSuccessStatusCode)
                return true;
            LogRefused(log, hook.Address, (int)response.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            LogUnreachable(log, hook.Address, e.Message);
        }

        return false;
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "Alert webhook of {Address} answered {Status}; its alerts are sent again next round")]
    private static partial void LogRefused(ILogger logger, string address, int status);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "Alert webhook of {Address} not reached ({Why}); its alerts are sent again next round")]
    private static partial void LogUnreachable(ILogger logger, string address, string why);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Error, Message = "An alert webhook round failed; the next round tries again")]
    private static partial void LogRoundFailed(ILogger logger, Exception e);
}
