using System.Globalization;
using Gpunet.Contracts.Console;
using Gpunet.Coordinator.Hosts;
using Gpunet.Coordinator.Ledger;
using Gpunet.Coordinator.Marketplace;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Gpunet.Core.Hosts;
using Gpunet.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gpunet.Coordinator.Console;

/// <summary>A participant's alerts now: a low balance (hours of runway left for the running leases), a paused host, a
/// failed check; each with its reason. Read from the ledger, the leases, the registry and the checks when asked, for the
/// console (<see cref="AlertsApi"/>) and the webhooks (<see cref="AlertWebhookSender"/>).</summary>
internal sealed class ParticipantAlerts(
    LedgerService ledger, HostRegistry registry, HostStakes stakes, LeaseStore leases, IDbContextFactory<GpunetDb> dbFactory,
    IOptions<LedgerOptions> ledgerOptions, IOptions<ConsoleOptions> options)
{
    /// <summary>The alerts of <paramref name="address"/> as of <paramref name="now"/>, each with the key that names it
    /// while it lasts (a webhook is told each key once).</summary>
    public async Task<List<(string Key, AlertView Alert)>> OfAsync(Address address, DateTimeOffset now, CancellationToken ct)
    {
        var alerts = new List<(string, AlertView)>();
        var running = await leases.RunningLeasesAsync(address.Value, ct);
        if (running.Count > 0)
        {
            var wallet = await WalletView.ReadAsync(address, ledger, registry, stakes, ct);
            var available = decimal.Parse(wallet.Available, CultureInfo.InvariantCulture);
            var perHour = Runway.TokensPerHour(running.Select(l => (l.PriceUsdPerGpuHour, Gpus(l))), ledgerOptions.Value.UsdPerToken);
            var hours = Runway.Hours(available, perHour);
            if (Runway.IsShort(hours, options.Value.LowBalanceRunway))
            {
                alerts.Add(($"low-balance:{now:yyyy-MM-dd}", new AlertView("low-balance", address.Value,
                    $"{available.ToString(CultureInfo.InvariantCulture)} tokens available keep your {running.Count} running lease(s) going about " +
                    $"{hours:0.#} h at {perHour.ToString("0.##", CultureInfo.InvariantCulture)} tokens an hour; a lease whose next hold cannot be taken is ended at settlement",
                    now, Math.Round(hours!.Value, 2))));
            }
        }

        var own = registry.OwnedBy(address).ToList();
        foreach (var host in own)
        {
            var (state, reason, since) = host.Snapshot();
            if (state == HostState.Paused)
                alerts.Add(($"host-paused:{host.Id}:{since.ToUnixTimeMilliseconds()}", new AlertView("host-paused", host.Id, reason, since)));
        }

        if (own.Count > 0)
        {
            var ids = own.Select(h => h.Id).ToList();
            var from = now - options.Value.FailedCheckAlertWindow;
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var failed = await db.Checks.AsNoTracking()
                .Where(c => ids.Contains(c.HostId) && c.Outcome == Verification.CheckOutcomes.Failed && c.DecidedAt >= from)
                .OrderByDescending(c => c.DecidedAt).Take(50).ToListAsync(ct);
            alerts.AddRange(failed.Select(c => ($"check-failed:{c.Id}", new AlertView("check-failed", c.Id,
                $"{c.HostId}: {c.Kind} check failed{(c.Consequence.Length > 0 ? "; " + c.Consequence : "")}", c.DecidedAt ?? c.IssuedAt))));
        }

        return alerts;
    }

    private static decimal Gpus(LeaseRecord lease) =>
        Math.Max(1, lease.GpuIndices.Split(',', StringSplitOptions.RemoveEmptyEntries).Length) * lease.GpuMilli / 1000m;
}
