using System.Globalization;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Cli.Bench;

/// <summary>What <c>gpunet bench kills</c> measures after its run: from the store, the settled epochs, each lease's
/// usage, billing and charge, slashes and host transitions; from each agent's disk, how long each lease's workload
/// really ran.</summary>
/// <remarks>A lease's workload (<see cref="Workload"/>) prints a line every <see cref="TickMs"/>; the agent writes each
/// line to the lease's <c>output.log</c> with its own clock. The workload's run time on a host is its last line's time
/// less its first's, plus one tick (it may have run up to a tick after its last line), cut at the lease's end (the
/// cancel; the kill reaches the workload a little later): never less than it ran while leased, so the shortfall
/// against it is never understated. A lease that moved hosts has a log on each; their times add up.</remarks>
internal static class KillsMeasurement
{
    /// <summary>How often the workload prints, in ms.</summary>
    public const int TickMs = 200;

    /// <summary>The leases' command: a line every <see cref="TickMs"/> until it is killed.</summary>
    public static readonly IReadOnlyList<string> Workload = ["/bin/sh", "-c", "while :; do echo tick; sleep 0.2; done"];

    /// <summary>One lease's figures; times in ms.</summary>
    /// <param name="WorkloadMs">How long its workload ran on its hosts (the time "reported" by the hosts' own work).</param>
    /// <param name="ReportedMs">The periods its hosts reported in accepted usage reports.</param>
    /// <param name="BilledMs">The part of them billed (heard by the coordinator).</param>
    /// <param name="ChargedMs">What settlement charged: whole seconds charged plus the milliseconds carried to the next.</param>
    /// <param name="SettledBilledMs">Billed time in usage rows an epoch took; equal to <paramref name="ChargedMs"/> when
    /// every row was charged once.</param>
    public sealed record LeaseFigures(
        string Lease, string State, string? EndReason, int Attempt, string? Host, long WorkloadMs, long ReportedMs, long BilledMs,
        long ChargedMs, long SettledBilledMs, int UsageRows, int UnsettledRows)
    {
        /// <summary>Workload time not billed.</summary>
        public long ShortfallMs => WorkloadMs - BilledMs;
    }

    /// <summary>The settled epochs: how many, the first and last, any epoch missing between them, and any whose stored
    /// settlement transfers differ in number from what its row records (a second settlement would add some).</summary>
    public sealed record EpochFigures(int Settled, long? First, long? Last, long? NetworkFirst, IReadOnlyList<long> Missing, IReadOnlyList<string> Mismatched)
    {
        /// <summary>Every epoch from the first to the last settled once, none twice.</summary>
        public bool SettledOnce => Missing.Count == 0 && Mismatched.Count == 0 && (NetworkFirst is null || First is null || First == NetworkFirst);
    }

    /// <summary>Everything read from the store.</summary>
    public sealed record StoreFigures(IReadOnlyList<LeaseFigures> Leases, EpochFigures Epochs, int Slashes, int SuspectTransitions, int OfflineTransitions);

    /// <summary>When each lease's workload printed its first and last line, in Unix ms, over every host it ran on, and
    /// how long it ran while leased (up to <paramref name="endedAtMs"/>, the lease's end, when known: a workload killed
    /// after its lease ended ran on the host's time, not the customer's); null for a lease with no line yet.</summary>
    public static (long FirstMs, long LastMs, long RunMs)? WorkloadOf(string lease, IEnumerable<string> agentHomes, long endedAtMs = long.MaxValue)
    {
        (long, long, long)? total = null;
        foreach (var home in agentHomes)
        {
            var log = Path.Combine(home, "work", "leases", lease, "output.log");
            if (!File.Exists(log) || Ticks(log) is not { } t)
                continue;
            var run = Math.Max(0, Math.Min(t.LastMs + TickMs, endedAtMs) - t.FirstMs);
            total = total is { } x ? (Math.Min(x.Item1, t.FirstMs), Math.Max(x.Item2, t.LastMs), x.Item3 + run) : (t.FirstMs, t.LastMs, run);
        }

        return total;
    }

    /// <summary>Whether the store holds, for every lease, a usage report through its workload's last line, and every
    /// usage row has been taken by a settled epoch.</summary>
    public static async Task<bool> UsageSettledAsync(StoreConnection store, IReadOnlyDictionary<string, long> lastTickMs, CancellationToken ct)
    {
        await using var db = await store.CreateDbContextFactory().CreateDbContextAsync(ct);
        var ids = lastTickMs.Keys.ToList();
        var rows = await db.LeaseUsage.AsNoTracking().Where(u => ids.Contains(u.LeaseId))
            .GroupBy(u => u.LeaseId).Select(g => new { Lease = g.Key, To = g.Max(u => u.ToMs), Unsettled = g.Count(u => u.Epoch == null) }).ToListAsync(ct);
        return ids.All(id => rows.FirstOrDefault(r => r.Lease == id) is { } r && r.To >= lastTickMs[id] && r.Unsettled == 0);
    }

    /// <summary>Reads the figures of <paramref name="leases"/> and of every settled epoch.</summary>
    public static async Task<StoreFigures> ReadAsync(StoreConnection store, IReadOnlyList<string> leases, IReadOnlyList<string> agentHomes, DateTimeOffset since, CancellationToken ct)
    {
        await using var db = await store.CreateDbContextFactory().CreateDbContextAsync(ct);
        var usage = await db.LeaseUsage.AsNoTracking().Where(u => leases.Contains(u.LeaseId)).ToListAsync(ct);
        var billing = await db.LeaseBilling.AsNoTracking().Where(b => leases.Contains(b.LeaseId)).ToDictionaryAsync(b => b.LeaseId, ct);
        var rows = await db.Leases.AsNoTracking().Where(l => leases.Contains(l.Id)).ToDictionaryAsync(l => l.Id, ct);
        var figures = new List<LeaseFigures>(leases.Count);
        foreach (var id in leases)
        {
            var lease = rows[id];
            var mine = usage.Where(u => u.LeaseId == id).ToList();
            var charged = billing.TryGetValue(id, out var b) ? b.ChargedSeconds * 1000 + b.CarriedMs : 0;
            var ended = lease.EndedAt?.ToUnixTimeMilliseconds() ?? long.MaxValue;
            figures.Add(new LeaseFigures(id, lease.State, lease.EndReason, lease.Attempt, lease.HostId, WorkloadOf(id, agentHomes, ended)?.RunMs ?? 0,
                mine.Sum(u => u.ReportedMs), mine.Sum(u => u.BilledMs), charged, mine.Where(u => u.Epoch != null).Sum(u => u.BilledMs),
                mine.Count, mine.Count(u => u.Epoch == null)));
        }

        var epochs = await db.Epochs.AsNoTracking().OrderBy(e => e.Epoch).Select(e => new { e.Epoch, e.Transfers }).ToListAsync(ct);
        var missing = new List<long>();
        var mismatched = new List<string>();
        for (var i = 1; i < epochs.Count; i++)
        {
            for (var e = epochs[i - 1].Epoch + 1; e < epochs[i].Epoch; e++)
                missing.Add(e);
        }

        foreach (var e in epochs)
        {
            // Every transfer of an epoch's settlement carries the epoch in its id's high half.
            var high = (long)(EpochSettlementPlanner.IdPrefix | (ulong)e.Epoch);
            var stored = await db.LedgerTransfers.AsNoTracking().CountAsync(t => t.IdHigh == high, ct);
            if (stored != e.Transfers)
                mismatched.Add(string.Create(CultureInfo.InvariantCulture, $"epoch {e.Epoch}: {stored} settlement transfers stored, {e.Transfers} recorded"));
        }

        var first = await db.Meta.AsNoTracking().Where(m => m.Key == "first_epoch").Select(m => m.Value).FirstOrDefaultAsync(ct);
        var transitions = await db.HostTransitions.AsNoTracking().Where(t => t.At >= since).Select(t => t.To).ToListAsync(ct);
        var slashes = await db.SlashEvents.AsNoTracking().CountAsync(ct);
        return new StoreFigures(figures,
            new EpochFigures(epochs.Count, epochs.Count > 0 ? epochs[0].Epoch : null, epochs.Count > 0 ? epochs[^1].Epoch : null,
                long.TryParse(first, CultureInfo.InvariantCulture, out var f) ? f : null, missing, mismatched),
            slashes, transitions.Count(t => t == "Suspect"), transitions.Count(t => t == "Offline"));
    }

    // The times of a workload's first and last lines in its output.log ("2026-11-25T10:00:00.123Z stdout tick").
    private static (long FirstMs, long LastMs)? Ticks(string outputLog)
    {
        long? first = null;
        long last = 0;
        using var reader = new StreamReader(new FileStream(outputLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        while (reader.ReadLine() is { } line)
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0 || !line.EndsWith(" tick", StringComparison.Ordinal)
                || !DateTimeOffset.TryParse(line.AsSpan(0, space), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                continue;
            var ms = at.ToUnixTimeMilliseconds();
            first ??= ms;
            last = ms;
        }

        return first is { } f ? (f, last) : null;
    }
}
