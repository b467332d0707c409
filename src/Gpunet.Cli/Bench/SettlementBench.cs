using System.Diagnostics;
using System.Globalization;
using Gpunet.Coordinator;
using Gpunet.Coordinator.Ledger;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Economics;
using Gpunet.Core.Hosts;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Gpunet.Cli.Bench;

/// <summary>The epoch-settlement half of <c>gpunet bench ledger</c>: a real coordinator over a scratch store holding
/// N staked Ready hosts, half of them serving a metered on-demand lease with an open hold, some vesting tranches,
/// matured unbonding entries and slash events; then one <see cref="EpochService.SettleAsync(long, CancellationToken)"/> of the past epoch, timed.</summary>
/// <remarks>The store is a scratch one of the same kind as <c>--db</c>: a fresh SQLite file, or a database created on
/// the same PostgreSQL server and dropped afterwards, so a shared store never sees the bench's epoch. The background
/// settlement loop is kept off the measured epoch by storing the network's first epoch as the current one: the loop
/// has nothing due until tomorrow, and the bench's call is the only one that settles yesterday.</remarks>
internal static class SettlementBench
{
    /// <summary>The figures of one settlement run; times in seconds.</summary>
    public sealed record Result(
        int Hosts, int Leases, double SeedSeconds, double SettlementSeconds, int Transfers, double ReadSeconds, double PlanSeconds,
        double WriteSeconds, bool SettledByBench, int EpochRows, bool Balanced, IReadOnlyList<double> RunSeconds, IReadOnlyList<double> RunCpuSeconds);

    private const ulong BenchIdPrefix = 0x4245_4e43_4800_0000UL; // "BENCH"
    private const int Customers = 1000;

    public static async Task<Result> RunAsync(int hosts, int runs, string? db, Action<string> progress, CancellationToken ct)
    {
        var run = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
        var data = Path.Combine(Path.GetTempPath(), "gpunet-settle-" + run);
        Directory.CreateDirectory(data);
        string? scratchDb = null;
        var database = Path.Combine(data, "store.db");
        if (!string.IsNullOrWhiteSpace(db) && StoreConnection.Parse(db).Provider == StoreProvider.Postgres)
        {
            scratchDb = "gpunet_settle_" + run;
            await ScratchDatabase.CreateAsync(db, scratchDb, ct);
            database = new NpgsqlConnectionStringBuilder(db) { Database = scratchDb }.ConnectionString;
        }

        try
        {
            return await RunOnAsync(hosts, runs, database, data, progress, ct);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            NpgsqlConnection.ClearAllPools();
            if (scratchDb is not null)
                await ScratchDatabase.DropAsync(db!, scratchDb, CancellationToken.None);
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<Result> RunOnAsync(int n, int runs, string database, string data, Action<string> progress, CancellationToken ct)
    {
        var seed = Stopwatch.StartNew();
        var economics = new EconomicsOptions { EpochLength = TimeSpan.FromDays(1) };
        var stakes = new StakeTable(economics);
        var now = StoreTime.Now(TimeProvider.System);
        var epoch = economics.EpochOf(now) - 1;
        var start = economics.EpochStart(epoch);
        var end = economics.EpochStart(epoch + 1);
        var connection = StoreConnection.Parse(database);
        var factory = connection.CreateDbContextFactory();
        await StoreSchema.EnsureAsync(factory, ct);

        // Store rows first, so the coordinator's start loads the registry.
        var models = new[] { "H100", "A100" };
        var rate = new TokenRate(0.10m);
        var maxPrice = 3.0m;
        var holdSeconds = OrderFunding.HoldSeconds(0, 0, economics);
        var transfers = new List<PlannedTransfer>();
        ulong nextId = 0;
        TransferId Id() => TransferId.FromParts(BenchIdPrefix, ++nextId);
        var genesis = AccountKey.Network(AccountPurpose.Genesis);
        var stakesToMake = new List<PlannedTransfer>(n);
        var holds = new List<PlannedTransfer>(n / 2);
        var leases = 0;
        const int Chunk = 10_000;
        for (var from = 0; from < n; from += Chunk)
        {
            await using var w = await factory.CreateDbContextAsync(ct);
            w.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = from; i < Math.Min(n, from + Chunk); i++)
            {
                var id = HostName(i);
                var operatorAddress = Operator(i);
                var gpus = 1 + (i % 8);
                var model = models[i % 2];
                var host = new HostRecord
                {
                    Id = id, Address = operatorAddress.Value, Fingerprint = "bench-" + i.ToString(CultureInfo.InvariantCulture), Hostname = "bench-" + i.ToString(CultureInfo.InvariantCulture),
                    Country = "DE", PriceUsdPerGpuHour = 2.5m, State = nameof(HostState.Ready), StateSince = start.AddHours(-1),
                    RegisteredAt = start.AddHours(-2), LastHeardAt = now, Simulated = true,
                };
                for (var g = 0; g < gpus; g++)
                    host.Gpus.Add(new GpuRecord { HostId = id, Index = g, Uuid = $"GPU-{i:x8}-{g}", Model = model, MemoryTotalMib = 81_559 });
                w.Hosts.Add(host);
                w.HostTransitions.Add(new HostTransitionRecord { HostId = id, From = nameof(HostState.Pending), To = nameof(HostState.Ready), Reason = "bench", At = start.AddHours(-1) });
                var required = stakes.RequiredStake(Enumerable.Repeat(model, gpus));
                transfers.Add(new PlannedTransfer(Id(), genesis, AccountKey.Participant(operatorAddress, AccountPurpose.Available), required + TokenAmount.FromTokens(10), TransferCode.Deposit));
                stakesToMake.Add(new PlannedTransfer(Id(), AccountKey.Participant(operatorAddress, AccountPurpose.Available),
                    AccountKey.HostStake(HostId.TryParse(id, out var hostId) ? hostId.Value : throw new InvalidOperationException(id)), required, TransferCode.Stake));

                if (i % 2 == 0)
                {
                    // An on-demand lease running on the host all epoch, its first period held as OrderFunding.Plan holds it.
                    leases++;
                    var leaseId = $"lease-{i:x12}";
                    var customer = Customer(i % Customers);
                    var leaseGpus = 1 + (i % gpus);
                    var hold = LeaseCharge.For(maxPrice, leaseGpus, 1000, holdSeconds, rate);
                    var holdId = OrderFunding.EscrowId(leaseId);
                    w.Leases.Add(new LeaseRecord
                    {
                        Id = leaseId, OrderId = $"order-{i:x12}", Owner = customer.Value, State = "Running", HostId = id,
                        GpuIndices = string.Join(',', Enumerable.Range(0, leaseGpus)), GpuMilli = 1000, GpuModel = model, PriceUsdPerGpuHour = 2.5m,
                        CreatedAt = start.AddHours(-2), PlacedAt = start.AddHours(-2), StartedAt = start.AddHours(-2),
                    });
                    w.LeaseBilling.Add(new LeaseBillingRecord
                    {
                        LeaseId = leaseId, Customer = customer.Value, Kind = "on-demand", UsdPerToken = rate.UsdPerToken, MaxUsdPerGpuHour = maxPrice,
                        Gpus = leaseGpus, GpuMilli = 1000, TermSeconds = 0, HoldId = holdId.ToString(), HoldAmount = hold.BaseUnits,
                    });
                    holds.Add(new PlannedTransfer(holdId, AccountKey.Participant(customer, AccountPurpose.Available), AccountKey.LeaseEscrow(leaseId), hold,
                        TransferCode.EscrowHold, TransferFlags.Pending));
                    // Six hours billed in the epoch, in two reports.
                    for (var r = 0; r < 2; r++)
                    {
                        w.LeaseUsage.Add(new LeaseUsageRecord
                        {
                            LeaseId = leaseId, Sequence = r + 1, HostId = id, Operator = operatorAddress.Value,
                            FromMs = start.AddHours(3 * r).ToUnixTimeMilliseconds(), ToMs = start.AddHours(3 * (r + 1)).ToUnixTimeMilliseconds(),
                            ReportedMs = 3 * 3_600_000L, BilledMs = 3 * 3_600_000L, Gpus = leaseGpus, GpuMilli = 1000, Signature = "bench",
                            ReceivedAt = start.AddHours(3 * (r + 1)),
                        });
                    }
                }

                if (i % 10 == 1)
                {
                    // Fees earned ten epochs ago, still vesting.
                    var amount = TokenAmount.FromTokens(50);
                    w.VestingTranches.Add(new VestingTrancheRecord { Owner = operatorAddress.Value, Epoch = epoch - 10, Amount = amount.BaseUnits, Start = economics.EpochStart(epoch - 9) });
                    transfers.Add(new PlannedTransfer(Id(), genesis, AccountKey.Participant(operatorAddress, AccountPurpose.Vesting), amount, TransferCode.Deposit));
                }

                if (i % 100 == 3)
                {
                    // Unstaked long ago: the unbonding period ends within the epoch.
                    var amount = TokenAmount.FromTokens(20);
                    var unstake = Id();
                    w.Unbonding.Add(new UnbondingRecord
                    {
                        TransferId = unstake.ToString(), Owner = operatorAddress.Value, HostId = id, Amount = amount.BaseUnits,
                        CreatedAt = start.AddHours(1) - economics.UnbondingPeriod, ReleaseAt = start.AddHours(1),
                    });
                    transfers.Add(new PlannedTransfer(unstake, genesis, AccountKey.Participant(operatorAddress, AccountPurpose.Unbonding), amount, TransferCode.Deposit));
                }

                if (i % 1000 == 5)
                {
                    w.SlashEvents.Add(new SlashEventRecord
                    {
                        HostId = id, Operator = operatorAddress.Value, Kind = "downtime", Reason = "bench: offline while serving", At = start.AddHours(12),
                    });
                }
            }

            await w.SaveChangesAsync(ct);
        }

        for (var c = 0; c < Customers; c++)
            transfers.Add(new PlannedTransfer(Id(), genesis, AccountKey.Participant(Customer(c), AccountPurpose.Available), TokenAmount.FromTokens(1_000_000), TransferCode.Deposit));

        // The background settlement's first epoch is today's: it has nothing due before tomorrow.
        await using (var w = await factory.CreateDbContextAsync(ct))
        {
            w.Meta.Add(new MetaRecord { Key = "first_epoch", Value = (epoch + 1).ToString(CultureInfo.InvariantCulture) });
            await w.SaveChangesAsync(ct);
        }

        progress($"seeded {n:N0} hosts and {leases:N0} leases in the store in {seed.Elapsed.TotalSeconds:0.0} s; starting the coordinator");
        var app = await StartAsync(database, data, economics, ct);
        var ledger = app.Services.GetRequiredService<LedgerService>();
        await SubmitAllAsync(ledger, transfers, ct);
        await SubmitAllAsync(ledger, stakesToMake, ct);
        await SubmitAllAsync(ledger, holds, ct);
        var seedSeconds = seed.Elapsed.TotalSeconds;
        progress($"seeded and staked in {seedSeconds:0.0} s; settling epoch {epoch}");

        // Later runs settle the same epoch again, each over a copy of the store as it stands now (SQLite only).
        var snapshot = Path.Combine(data, "seeded.db");
        if (runs > 1)
            await SnapshotAsync(database, snapshot, ct);
        var settled = new List<Settled>(runs);
        try
        {
            for (var r = 0; r < runs; r++)
            {
                if (r > 0)
                {
                    await app.StopAsync(CancellationToken.None);
                    await app.DisposeAsync();
                    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                    database = Path.Combine(data, $"run-{r + 1}.db");
                    File.Copy(snapshot, database);
                    app = await StartAsync(database, data, economics, ct);
                }

                settled.Add(await SettleOnceAsync(app, StoreConnection.Parse(database).CreateDbContextFactory(), epoch, ct));
                progress($"run {r + 1}: settled in {settled[^1].Seconds:0.00} s");
            }
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }

        var first = settled[0];
        return new Result(n, leases, seedSeconds, first.Seconds, first.Record?.Transfers ?? 0, first.Phases.Read.TotalSeconds, first.Phases.Plan.TotalSeconds,
            first.Phases.Write.TotalSeconds, settled.All(x => x.Record is not null), settled.Max(x => x.EpochRows), settled.All(x => x.Balanced),
            [.. settled.Select(x => x.Seconds)], [.. settled.Select(x => x.CpuSeconds)]);
    }

    private sealed record Settled(double Seconds, double CpuSeconds, EpochPhases Phases, EpochRecord? Record, int EpochRows, bool Balanced);

    private static async Task<WebApplication> StartAsync(string database, string data, EconomicsOptions economics, CancellationToken ct)
    {
        var app = CoordinatorApp.Build("http://127.0.0.1:0", o =>
        {
            o.Store.DataDirectory = data;
            o.Store.Database = database;
            o.Access.NetworkId = "bench";
            o.Ledger.EpochLength = economics.EpochLength;
            // Quiet: no agent heartbeats here, and no market work over the seeded leases while the bench runs.
            o.Hosts.HeartbeatInterval = TimeSpan.FromHours(1);
            o.Metering.UsageLateness = TimeSpan.FromHours(3);
            o.Hosts.OfflineGracePeriod = TimeSpan.FromHours(4);
            o.Market.MarketInterval = TimeSpan.FromHours(1);
            // The seeded hosts' operators are anonymous and never registered through an agent: take them as approved
            // and where they say, so that compliance leaves the seeded network as it is.
            o.Compliance.ApproveAllKyc = true;
            o.Compliance.TrustDeclaredLocation = true;
            o.Compliance.ComplianceSweepInterval = TimeSpan.FromHours(1);
        }, BenchLogging.Quiet);
        await app.StartAsync(ct);
        return app;
    }

    // One timed settlement of the epoch, then (not timed) the epoch's rows counted and the stored ledger audited.
    private static async Task<Settled> SettleOnceAsync(WebApplication app, IDbContextFactory<GpunetDb> factory, long epoch, CancellationToken ct)
    {
        // The market loads every open lease at start; let it finish, so the settlement is timed alone.
        await app.Services.GetRequiredService<Gpunet.Coordinator.Marketplace.Market>().RunAsync(() => Task.FromResult(true));
        var service = app.Services.GetRequiredService<EpochService>();
        // CPU time too: on a machine others share, it moves less with their load than the wall clock does.
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var record = await service.SettleAsync(epoch, ct);
        var seconds = clock.Elapsed.TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var phases = service.LastPhases;
        await using var check = await factory.CreateDbContextAsync(ct);
        var rows = await check.Epochs.AsNoTracking().CountAsync(e => e.Epoch == epoch, ct);
        var audit = await app.Services.GetRequiredService<LedgerService>().VerifyStoreAsync(ct);
        return new Settled(seconds, cpuSeconds, phases, record, rows, audit.Balanced);
    }

    // A consistent copy of a live SQLite store (VACUUM INTO reads it in one transaction).
    private static async Task SnapshotAsync(string database, string snapshot, CancellationToken ct)
    {
        if (StoreConnection.Parse(database).Provider != StoreProvider.Sqlite)
            throw new InvalidOperationException("--settlement-runs above 1 needs a SQLite store");
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = database }.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "VACUUM INTO @path";
        command.Parameters.AddWithValue("@path", snapshot);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task SubmitAllAsync(LedgerService ledger, List<PlannedTransfer> transfers, CancellationToken ct)
    {
        var pending = new List<Task<TransferResult[]>>();
        for (var i = 0; i < transfers.Count; i += LedgerService.MaxBatch)
            pending.Add(ledger.SubmitAsync(transfers.GetRange(i, Math.Min(LedgerService.MaxBatch, transfers.Count - i)), ct));
        foreach (var results in await Task.WhenAll(pending))
        {
            if (results.FirstOrDefault(r => r != TransferResult.Ok) is var bad && bad != TransferResult.Ok)
                throw new InvalidOperationException($"seeding the ledger failed: {bad}");
        }
    }

    private static string HostName(int i) => $"host-{i:x12}";

    private static Address Operator(int i) => Address.Parse("0x" + (i + 1).ToString("x40", CultureInfo.InvariantCulture));

    private static Address Customer(int c) => Address.Parse("0xc" + (c + 1).ToString("x39", CultureInfo.InvariantCulture));
}
