using System.Globalization;
using System.Net.Http.Json;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Ledger;
using Gpunet.Core.Marketplace;
using Gpunet.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gpunet.IntegrationTests.Services.Chaos;

/// <summary>What must hold after every step of a chaos run, read from the coordinator's store and API (the coordinator
/// may have been restarted since the last check: what was seen before is remembered here).</summary>
internal sealed class ChaosInvariants
{
    private readonly Dictionary<long, string> _epochs = [];
    private readonly Dictionary<(string Lease, int Attempt, long Sequence), long> _settledUsage = [];
    private TokenAmount? _supply;

    /// <summary>Every problem found now; empty when all holds. <paramref name="accepted"/>: the leases of every order
    /// accepted; <paramref name="billed"/>: the billed ms of every usage report accepted; <paramref name="minted"/>: the
    /// step deposited tokens.</summary>
    public async Task<List<string>> CheckAsync(TestCoordinator c, IReadOnlyCollection<string> accepted,
        IReadOnlyDictionary<(string Lease, int Attempt, long Sequence), long> billed, bool minted)
    {
        var problems = new List<string>();
        await LedgerAsync(c, minted, problems);
        await using var db = await c.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>().CreateDbContextAsync();
        var leases = await db.Leases.AsNoTracking().ToDictionaryAsync(l => l.Id, StringComparer.Ordinal);
        var allocations = await db.Allocations.AsNoTracking().ToListAsync();
        Capacity(leases, allocations, problems);
        foreach (var id in accepted)
            Accounted(id, leases.GetValueOrDefault(id), problems);
        var usage = await db.LeaseUsage.AsNoTracking().ToListAsync();
        Usage(usage, problems);
        Stored(usage, billed, problems);
        var epochs = await db.Epochs.AsNoTracking().ToListAsync();
        Settlement(epochs, usage, problems);
        return problems;
    }

    /// <summary>The ledger balances (the audit <c>gpunet ledger verify</c> runs), and the supply changes only by deposits.</summary>
    private async Task LedgerAsync(TestCoordinator c, bool minted, List<string> problems)
    {
        var audit = (await c.Admin.GetFromJsonAsync<LedgerAuditResult>("/api/v1/ledger/verify", TestCoordinator.Json))!;
        if (!audit.Balanced)
            problems.Add("ledger not balanced: " + string.Join("; ", audit.Problems));
        if (!minted && _supply is { } supply && supply != audit.TotalSupply)
            problems.Add($"the supply changed from {supply} to {audit.TotalSupply} without a deposit");
        _supply = audit.TotalSupply;
    }

    /// <summary>No GPU given twice: the allocations on each GPU add up to at most a whole one, and every lease holding
    /// capacity has its own allocation on its host.</summary>
    private static void Capacity(Dictionary<string, LeaseRecord> leases, List<AllocationRecord> allocations, List<string> problems)
    {
        foreach (var gpu in allocations
            .SelectMany(a => a.GpuIndices.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(i => (a.HostId, Index: i, a.GpuMilliEach, a.Id)))
            .GroupBy(g => (g.HostId, g.Index)))
        {
            if (gpu.Sum(g => g.GpuMilliEach) > 1000)
                problems.Add($"GPU {gpu.Key.Index} of {gpu.Key.HostId} given to {string.Join(", ", gpu.Select(g => g.Id))}");
        }

        var byId = allocations.ToDictionary(a => a.Id, StringComparer.Ordinal);
        var holding = leases.Values.Where(l => LeaseLifecycle.HoldsCapacity(Enum.Parse<LeaseState>(l.State))).ToList();
        foreach (var lease in holding)
        {
            if (lease.AllocationId is not { } id || !byId.TryGetValue(id, out var a))
                problems.Add($"lease {lease.Id} is {lease.State} without an allocation");
            else if (a.HostId != lease.HostId || a.GpuIndices != lease.GpuIndices)
                problems.Add($"lease {lease.Id} on {lease.HostId} GPU {lease.GpuIndices} holds allocation {id} of {a.HostId} GPU {a.GpuIndices}");
        }

        foreach (var shared in holding.Where(l => l.AllocationId is not null).GroupBy(l => l.AllocationId).Where(g => g.Count() > 1))
            problems.Add($"allocation {shared.Key} held by {string.Join(", ", shared.Select(l => l.Id))}");
    }

    /// <summary>An accepted order's lease is queued with a reason, placed on a host, or ended with a reason.</summary>
    private static void Accounted(string id, LeaseRecord? lease, List<string> problems)
    {
        if (lease is null)
        {
            problems.Add($"accepted lease {id} is not stored");
            return;
        }

        var state = Enum.Parse<LeaseState>(lease.State);
        if (state == LeaseState.Pending && string.IsNullOrEmpty(lease.StateReason))
            problems.Add($"lease {id} is queued without a reason");
        if (LeaseLifecycle.HoldsCapacity(state) && lease.HostId is null)
            problems.Add($"lease {id} is {state} on no host");
        if (LeaseLifecycle.IsEnded(state) && (lease.EndReason is null || lease.EndedAt is null))
            problems.Add($"lease {id} ended ({state}) without a reason or time");
    }

    /// <summary>No usage period billed twice (a lease's stored periods, across attempts, do not overlap), and no row bills
    /// more than its period.</summary>
    private static void Usage(List<LeaseUsageRecord> usage, List<string> problems)
    {
        foreach (var row in usage.Where(u => u.BilledMs < 0 || u.BilledMs > u.ToMs - u.FromMs || u.ReportedMs != u.ToMs - u.FromMs))
            problems.Add($"usage {row.LeaseId}#{row.Attempt}/{row.Sequence} bills {row.BilledMs} ms of [{row.FromMs}, {row.ToMs})");
        foreach (var lease in usage.GroupBy(u => u.LeaseId))
        {
            var rows = lease.OrderBy(u => u.FromMs).ToList();
            for (var i = 1; i < rows.Count; i++)
            {
                if (rows[i].FromMs < rows[i - 1].ToMs)
                {
                    problems.Add($"usage of {lease.Key} billed twice: #{rows[i - 1].Attempt}/{rows[i - 1].Sequence} [{rows[i - 1].FromMs}, {rows[i - 1].ToMs}) " +
                        $"and #{rows[i].Attempt}/{rows[i].Sequence} [{rows[i].FromMs}, {rows[i].ToMs})");
                }
            }
        }
    }

    /// <summary>Every report the coordinator accepted is stored once, billing what its answer said, and nothing else is.</summary>
    private static void Stored(List<LeaseUsageRecord> usage, IReadOnlyDictionary<(string Lease, int Attempt, long Sequence), long> billed, List<string> problems)
    {
        var rows = usage.GroupBy(u => (u.LeaseId, u.Attempt, u.Sequence)).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var (key, ms) in billed)
        {
            if (!rows.TryGetValue(key, out var stored) || stored.Count != 1 || stored[0].BilledMs != ms)
                problems.Add($"usage {key.Lease}#{key.Attempt}/{key.Sequence} accepted billing {ms} ms, stored as [{string.Join(", ", (stored ?? []).Select(r => r.BilledMs))}]");
        }

        foreach (var key in rows.Keys.Where(k => !billed.ContainsKey(k)))
            problems.Add($"usage {key.LeaseId}#{key.Attempt}/{key.Sequence} stored, never accepted");
    }

    /// <summary>Every epoch settled at most once: a settled epoch never changes, a usage row settled in one epoch stays in
    /// it, and every epoch a row names is settled.</summary>
    private void Settlement(List<EpochRecord> epochs, List<LeaseUsageRecord> usage, List<string> problems)
    {
        foreach (var e in epochs)
        {
            var seen = string.Create(CultureInfo.InvariantCulture, $"{e.Start:O} {e.End:O} {e.Transfers} {e.Totals}");
            if (_epochs.TryGetValue(e.Epoch, out var before) && before != seen)
                problems.Add($"epoch {e.Epoch} settled again: {before} became {seen}");
            _epochs[e.Epoch] = seen;
        }

        foreach (var row in usage.Where(u => u.Epoch is not null))
        {
            var key = (row.LeaseId, row.Attempt, row.Sequence);
            if (_settledUsage.TryGetValue(key, out var epoch) && epoch != row.Epoch)
                problems.Add($"usage {row.LeaseId}#{row.Attempt}/{row.Sequence} settled in epoch {epoch}, then in {row.Epoch}");
            _settledUsage[key] = row.Epoch!.Value;
            if (!_epochs.ContainsKey(row.Epoch!.Value))
                problems.Add($"usage {row.LeaseId}#{row.Attempt}/{row.Sequence} names epoch {row.Epoch}, which is not settled");
        }

        foreach (var (key, epoch) in _settledUsage)
        {
            if (!usage.Any(u => u.LeaseId == key.Lease && u.Attempt == key.Attempt && u.Sequence == key.Sequence && u.Epoch == epoch))
                problems.Add($"usage {key.Lease}#{key.Attempt}/{key.Sequence}, settled in epoch {epoch}, is gone or unsettled");
        }
    }
}
