using Gpunet.Coordinator.Ledger;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Hosts;
using Gpunet.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.IntegrationTests.Ledger;

/// <summary>Settlement's plain-SQL reads (<see cref="EpochRowReader"/>) against the same reads through EF Core, on real
/// SQLite and PostgreSQL: what settlement gets must not change with how it is read (times, decimals, nulls, unknown states).</summary>
public sealed class EpochRowReaderTests
{
    public static TheoryData<string> Providers => TestStores.Providers;

    private static readonly DateTimeOffset Start = new(2026, 3, 4, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = Start.AddDays(1);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task PlainReads_GiveWhatEfCoreGives(string provider)
    {
        var factory = StoreConnection.Parse(await TestStores.NewStoreAsync(provider, TestCoordinator.NewDataDir())).CreateDbContextFactory();
        await StoreSchema.EnsureAsync(factory, CancellationToken.None);
        await SeedAsync(factory);

        await using var db = await factory.CreateDbContextAsync();
        var reader = await EpochRowReader.OpenAsync(db, CancellationToken.None);
        await using var ef = await factory.CreateDbContextAsync();

        var (billed, served) = await reader.UsageAsync(End, CancellationToken.None);
        var usage = await ef.LeaseUsage.AsNoTracking().Where(u => u.Epoch == null && u.ReceivedAt < End).ToListAsync();
        Assert.Equal(usage.GroupBy(u => u.LeaseId).ToDictionary(g => g.Key, g => g.Sum(u => u.BilledMs)), billed);
        Assert.Equal(usage.GroupBy(u => u.HostId).ToDictionary(g => g.Key, g => g.Sum(u => u.BilledMs * u.Gpus * u.GpuMilli / 1000) / 1000), served);
        Assert.Equal(2, billed.Count); // neither the settled row nor the one received after the end

        var transitions = await reader.TransitionsAsync(End, CancellationToken.None);
        Assert.Equal((await ef.HostTransitions.AsNoTracking().Where(t => t.At < End).OrderBy(t => t.HostId).ThenBy(t => t.At).ToListAsync())
            .ConvertAll(t => (t.HostId, Enum.TryParse<HostState>(t.To, out var to) ? to : HostState.Pending, t.At)), transitions);
        Assert.Contains(transitions, t => t.To == HostState.Pending && t.At == Start.AddHours(5)); // "Retired": unknown, so not Ready

        var open = await reader.OpenLeasesAsync(CancellationToken.None);
        var expected = await (from b in ef.LeaseBilling.AsNoTracking()
                              where b.ClosedEpoch == null
                              join l in ef.Leases.AsNoTracking() on b.LeaseId equals l.Id
                              join h in ef.Hosts.AsNoTracking() on l.HostId equals h.Id into onHost
                              from h in onHost.DefaultIfEmpty()
                              orderby b.LeaseId
                              select new { b, l.EndReason, l.EndedAt, l.HostId, l.PriceUsdPerGpuHour, Operator = h == null ? null : h.Address }).ToListAsync();
        Assert.Equal(
            expected.ConvertAll(o => ((string, string, string, decimal, decimal, int, int, long, long, long, string?, long, string?, DateTimeOffset?, string?, decimal, string?))(o.b.LeaseId, o.b.Customer, o.b.Kind, o.b.UsdPerToken, o.b.MaxUsdPerGpuHour, o.b.Gpus, o.b.GpuMilli, o.b.TermSeconds,
                o.b.ChargedSeconds, o.b.CarriedMs, o.b.HoldId, o.b.HoldAmount, o.EndReason, o.EndedAt, o.HostId, o.PriceUsdPerGpuHour, o.Operator)),
            [.. open.OrderBy(o => o.Billing.LeaseId, StringComparer.Ordinal).Select(o => (o.Billing.LeaseId, o.Billing.Customer, o.Billing.Kind, o.Billing.UsdPerToken,
                o.Billing.MaxUsdPerGpuHour, o.Billing.Gpus, o.Billing.GpuMilli, o.Billing.TermSeconds, o.Billing.ChargedSeconds, o.Billing.CarriedMs, o.Billing.HoldId,
                o.Billing.HoldAmount, o.EndReason, o.EndedAt, o.HostId, o.PriceUsdPerGpuHour, o.Operator))]);
        Assert.Equal(3, open.Count);
        Assert.Contains(open, o => o.EndedAt == Start.AddHours(20) && o.Billing.UsdPerToken == 0.1m && o.Billing.HoldId is null);

        var hosts = await reader.HostsAsync(CancellationToken.None);
        Assert.Equal(["host-a", "host-b", "host-c"], hosts.Select(h => h.Id));
        Assert.Equal([("A100", 1), ("H100", 2)], hosts[0].Gpus.OrderBy(g => g.Model, StringComparer.Ordinal));
        Assert.Empty(hosts[2].Gpus);
        Assert.Equal("0xb", hosts[1].Operator);
    }

    private static async Task SeedAsync(IDbContextFactory<GpunetDb> factory)
    {
        await using var db = await factory.CreateDbContextAsync();
        foreach (var (id, models) in new[] { ("host-b", new[] { "H100" }), ("host-a", ["H100", "A100", "H100"]), ("host-c", []) })
        {
            var host = new HostRecord
            {
                Id = id, Address = "0x" + id[^1], Fingerprint = "f-" + id, Hostname = id, Country = "DE", State = nameof(HostState.Ready), PriceUsdPerGpuHour = 2.35m,
            };
            for (var g = 0; g < models.Length; g++)
                host.Gpus.Add(new GpuRecord { HostId = id, Index = g, Uuid = $"GPU-{id}-{g}", Model = models[g] });
            db.Hosts.Add(host);
            db.HostTransitions.Add(new HostTransitionRecord { HostId = id, From = "Pending", To = "Ready", Reason = "t", At = Start.AddHours(-3) });
        }

        db.HostTransitions.Add(new HostTransitionRecord { HostId = "host-a", From = "Ready", To = "Retired", Reason = "t", At = Start.AddHours(5) });
        db.HostTransitions.Add(new HostTransitionRecord { HostId = "host-b", From = "Ready", To = "Offline", Reason = "t", At = End.AddHours(1) });
        (string Lease, string? Host, string Kind, decimal Rate, DateTimeOffset? Ended, long? Closed, string? Hold)[] leases =
        [
            ("lease-1", "host-a", "on-demand", 0.1m, null, null, "hold-1"),
            ("lease-2", "host-b", "reserve", 0.1m, Start.AddHours(20), null, null),
            ("lease-3", null, "on-demand", 0.37m, null, null, null),
            ("lease-4", "host-a", "on-demand", 0.1m, null, 3, null),
        ];
        foreach (var l in leases)
        {
            db.Leases.Add(new LeaseRecord
            {
                Id = l.Lease, OrderId = "order-" + l.Lease, Owner = "0xc", State = l.Ended is null ? "Running" : "Ended", HostId = l.Host, PriceUsdPerGpuHour = 1.75m,
                EndedAt = l.Ended, EndReason = l.Ended is null ? null : "host-lost",
            });
            db.LeaseBilling.Add(new LeaseBillingRecord
            {
                LeaseId = l.Lease, Customer = "0xc", Kind = l.Kind, UsdPerToken = l.Rate, MaxUsdPerGpuHour = 3.3m, Gpus = 2, GpuMilli = 500, TermSeconds = 3600,
                ChargedSeconds = 120, CarriedMs = 250, HoldId = l.Hold, HoldAmount = l.Hold is null ? 0 : 999, ClosedEpoch = l.Closed,
            });
        }

        (string Lease, string Host, long Sequence, long Ms, DateTimeOffset At, long? Epoch)[] usage =
        [
            ("lease-1", "host-a", 1, 3_600_123, Start.AddHours(2), null),
            ("lease-1", "host-a", 2, 1_999, Start.AddHours(3), null),
            ("lease-2", "host-b", 1, 7_777, Start.AddHours(4), null),
            ("lease-2", "host-b", 2, 5_000, Start.AddHours(-30), 3),
            ("lease-3", "host-c", 1, 9_000, End.AddMinutes(1), null),
        ];
        foreach (var u in usage)
        {
            db.LeaseUsage.Add(new LeaseUsageRecord
            {
                LeaseId = u.Lease, Sequence = u.Sequence, HostId = u.Host, Operator = "0xa", BilledMs = u.Ms, ReportedMs = u.Ms, Gpus = 3, GpuMilli = 333,
                Signature = "s", ReceivedAt = u.At, Epoch = u.Epoch,
            });
        }

        await db.SaveChangesAsync();
    }
}
