using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Gpunet.Coordinator.Ledger;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;
using Gpunet.Core.Ledger;
using Gpunet.Core.Scheduling;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Gpunet.Cli.Bench;

/// <summary><c>gpunet bench ledger</c>: durable ledger transfers per second, decided by the ledger's rules
/// (<see cref="LedgerBook"/>) and written in batches through the real store (<see cref="LedgerRowWriter"/>).</summary>
/// <remarks>Accounts are funded from genesis first (not measured); then random transfers between them, in batches of
/// 16,380 by default, are applied in memory and written, the next batch decided while the last one is written. At the end the
/// store is read back and audited: every transfer balances and the balances sum to the total supply.
/// Then one epoch is settled for <c>--hosts</c> staked hosts through a real coordinator (<see cref="SettlementBench"/>), and,
/// on PostgreSQL, <c>pgbench</c> runs against the same server for comparison (<see cref="Pgbench"/>).</remarks>
internal sealed class BenchLedgerCommand : AsyncCommand<BenchLedgerCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--accounts <N>")]
        [Description("Participant accounts. Default 100000")]
        public int Accounts { get; init; } = 100_000;

        [CommandOption("--transfers <N>")]
        [Description("Transfers to measure. Default 1000000")]
        public int Transfers { get; init; } = 1_000_000;

        [CommandOption("--batch <N>")]
        [Description("Transfers per transaction. Default 16380 (two of TigerBeetle's batches of 8,190: about 100 ms of commits at the measured rate)")]
        public int Batch { get; init; } = 16380;

        [CommandOption("--db <DB>")]
        [Description("Store; default a fresh SQLite file in a temporary directory. Given a SQLite file, the bench writes a fresh file beside it; given PostgreSQL, a database of its own on the same server; either is removed afterwards")]
        public string? Db { get; init; }

        [CommandOption("--hosts <N>")]
        [Description("Hosts in the epoch-settlement measurement: all staked and Ready, half serving a metered on-demand lease; one settlement of the past epoch is timed through a real coordinator, on a scratch store of --db's kind (a fresh SQLite file, or a database created on the same PostgreSQL server and dropped). Default 100000")]
        public int Hosts { get; init; } = 100_000;

        [CommandOption("--settlement-runs <N>")]
        [Description("Settlements of the same seeded epoch, each by a coordinator started over a copy of the seeded store (SQLite only above 1); settlementSeconds is the first, settlementRunSeconds lists all. Default 1")]
        public int SettlementRuns { get; init; } = 1;

        [CommandOption("--skip-settlement")]
        [Description("Measure transfers only, not the epoch settlement")]
        public bool SkipSettlement { get; init; }

        [CommandOption("--settlement-only")]
        [Description("Measure the epoch settlement (and pgbench) only, not the transfers")]
        public bool SettlementOnly { get; init; }

        [CommandOption("--pgbench-seconds <N>")]
        [Description("How long pgbench -N (simple update, 2 clients) runs on a scratch database when --db is PostgreSQL and pgbench is installed, for comparison; 0 skips it. Default 10")]
        public int PgbenchSeconds { get; init; } = 10;

        [CommandOption("--json")]
        [Description("Print one JSON object")]
        public bool Json { get; init; }

        public override ValidationResult Validate() =>
            Accounts < 2 ? ValidationResult.Error("--accounts: at least 2")
            : Transfers < 1 ? ValidationResult.Error("--transfers: at least 1")
            : Batch is < 1 or > 100_000 ? ValidationResult.Error("--batch: 1 to 100000")
            : Hosts is < 1 or > 10_000_000 ? ValidationResult.Error("--hosts: 1 to 10000000")
            : SettlementRuns is < 1 or > 20 ? ValidationResult.Error("--settlement-runs: 1 to 20")
            : SettlementRuns > 1 && Db is { } db && StoreConnection.Parse(db).Provider != StoreProvider.Sqlite ? ValidationResult.Error("--settlement-runs above 1: SQLite only")
            : SkipSettlement && SettlementOnly ? ValidationResult.Error("--skip-settlement and --settlement-only exclude each other")
            : PgbenchSeconds < 0 ? ValidationResult.Error("--pgbench-seconds: 0 or more")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings s, CancellationToken cancellationToken)
    {
        var run = RandomNumberGenerator.GetBytes(4);
        var runId = BitConverter.ToUInt32(run) & 0x7fff_ffff;
        // Store ids of this run: a block of its own (the store is the bench's own, so ids never collide with a ledger's).
        var idBase = (long)runId << 24;
        await using var own = await BenchLedgerStore.OpenAsync(s.Db, Convert.ToHexStringLower(run), cancellationToken);
        var store = own.Store;
        var report = s.SettlementOnly ? null : await RunAsync(s, store.Factory, store.Connection, runId, idBase, cancellationToken);
        void Progress(string line)
        {
            if (!s.Json)
                AnsiConsole.MarkupLine("[grey]" + Markup.Escape(line) + "[/]");
        }

        var settlement = s.SkipSettlement ? null : await SettlementBench.RunAsync(s.Hosts, s.SettlementRuns, s.Db, Progress, cancellationToken);
        var postgres = store.Connection.Provider == StoreProvider.Postgres;
        var pgbenchTps = postgres && s.PgbenchSeconds > 0 ? await Pgbench.TpsAsync(s.Db!, s.PgbenchSeconds, cancellationToken) : null;
        Print(s, store.Connection.Provider.ToString().ToLowerInvariant(), report, settlement, pgbenchTps);
        var ok = (report?.Balanced ?? true) && (settlement is null || (settlement.Balanced && settlement.SettledByBench && settlement.EpochRows == 1));
        return ok ? 0 : 1;
    }

    private sealed record Report(string Store, int Accounts, int Transfers, int Batch, int Refused, double Seconds, double SetupSeconds,
        double TransfersPerSecond, double InMemoryPerSecond, bool Balanced, string TotalSupply, string SumOfBalances);

    private static async Task<Report> RunAsync(Settings s, IDbContextFactory<GpunetDb> factory, StoreConnection connection, long runId, long idBase, CancellationToken ct)
    {
        var writer = new LedgerRowWriter(factory);
        var book = new LedgerBook();
        var setup = Stopwatch.StartNew();
        // Local ids 1..N+1 (1 is genesis); the store's id is idBase + local id.
        var n = s.Accounts;
        var specs = new List<AccountSpec>(n + 1) { new(new AccountId(1), AccountKey.Network(AccountPurpose.Genesis)) };
        for (var i = 0; i < n; i++)
            specs.Add(new AccountSpec(new AccountId(2 + i), AccountKey.Participant(Address.Parse("0x" + (i + 1).ToString("x40", CultureInfo.InvariantCulture)), AccountPurpose.Available)));
        book.CreateAccounts(specs);
        await writer.CreateAccountsAsync([.. specs.Select(a => (idBase + a.Id.Value, $"bench-{runId}:{a.Key}"))], ct);
        book.Genesis(new AccountId(1), TokenAmount.TotalSupply);
        var persisted = new LedgerAccount[n + 2];
        for (var i = 1; i < persisted.Length; i++)
            persisted[i] = book.Account(new AccountId(i));
        var genesisDelta = new LedgerAccountDelta(idBase + 1, 0, TokenAmount.TotalSupply.BaseUnits, 0, 0);
        await writer.WriteAsync([], [genesisDelta], ct);

        long sequence = 0;
        long logged = 0;
        var touched = new int[n + 2];
        var stamp = 0;
        (List<LedgerTransferRecord> Rows, List<LedgerAccountDelta> Deltas, int Refused) Decide(Transfer[] batch, TransferResult[] results, int count)
        {
            book.Apply(batch.AsSpan(0, count), results.AsSpan(0, count));
            stamp++;
            var rows = new List<LedgerTransferRecord>(count);
            var deltas = new List<LedgerAccountDelta>(count);
            var refused = 0;
            for (var i = 0; i < count; i++)
            {
                if (results[i] != TransferResult.Ok)
                {
                    refused++;
                    continue;
                }

                var t = batch[i];
                rows.Add(new LedgerTransferRecord
                {
                    IdHigh = (long)t.Id.High, IdLow = (long)t.Id.Low, DebitAccountId = idBase + t.Debit.Value, CreditAccountId = idBase + t.Credit.Value,
                    Amount = t.Amount.BaseUnits, Code = t.Code, Flags = (int)t.Flags, Timestamp = t.Timestamp, Sequence = ++logged,
                });
                foreach (var id in (ReadOnlySpan<long>)[t.Debit.Value, t.Credit.Value])
                {
                    if (touched[id] == stamp)
                        continue;
                    touched[id] = stamp;
                }
            }

            // Each account the batch moved, once: its totals now less what the store holds.
            for (var id = 1; id < touched.Length; id++)
            {
                if (touched[id] != stamp)
                    continue;
                var now = book.Account(new AccountId(id));
                var was = persisted[id];
                deltas.Add(new LedgerAccountDelta(idBase + id, now.DebitsPosted - was.DebitsPosted, now.CreditsPosted - was.CreditsPosted,
                    now.DebitsPending - was.DebitsPending, now.CreditsPending - was.CreditsPending));
                persisted[id] = now;
            }

            return (rows, deltas, refused);
        }

        var batch = new Transfer[s.Batch];
        var results = new TransferResult[s.Batch];
        TransferId NextId() => TransferId.FromParts((ulong)runId, (ulong)++sequence);

        // Setup: every participant gets 1,000 tokens from genesis.
        var grant = TokenAmount.FromTokens(1000);
        for (var start = 0; start < n; start += s.Batch)
        {
            var count = Math.Min(s.Batch, n - start);
            for (var i = 0; i < count; i++)
                batch[i] = new Transfer(NextId(), new AccountId(1), new AccountId(2 + start + i), grant, 1, TransferFlags.None);
            var (rows, deltas, _) = Decide(batch, results, count);
            await writer.WriteAsync(rows, deltas, ct);
        }

        var setupSeconds = setup.Elapsed.TotalSeconds;
        var rng = new SeededRandom(42);
        var total = s.Transfers;
        var refusedTotal = 0;
        var inMemory = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        Task pending = Task.CompletedTask;
        for (var done = 0; done < total; done += s.Batch)
        {
            var count = Math.Min(s.Batch, total - done);
            for (var i = 0; i < count; i++)
            {
                var from = 2 + rng.NextInt(n);
                var to = 2 + rng.NextInt(n - 1);
                if (to >= from)
                    to++;
                batch[i] = new Transfer(NextId(), new AccountId(from), new AccountId(to), TokenAmount.FromBaseUnits(1 + rng.NextInt(100_000)), 2, TransferFlags.None,
                    Timestamp: done + i);
            }

            var decided = Stopwatch.GetTimestamp();
            var (rows, deltas, refused) = Decide(batch, results, count);
            inMemory += Stopwatch.GetElapsedTime(decided);
            refusedTotal += refused;
            // The next batch is decided while this one is written; one write in flight keeps the store's order.
            await pending;
            // On its own thread: SQLite's calls complete synchronously and would otherwise run the write inline.
            pending = Task.Run(() => writer.WriteAsync(rows, deltas, ct), ct);
        }

        await pending;
        var seconds = clock.Elapsed.TotalSeconds;

        // Read the store back and audit it.
        await using var check = await factory.CreateDbContextAsync(ct);
        var stored = await check.LedgerAccounts.AsNoTracking().Where(a => a.Id >= idBase && a.Id < idBase + (1L << 24))
            .Select(a => new { a.DebitsPosted, a.CreditsPosted }).ToListAsync(ct);
        var debits = stored.Sum(a => a.DebitsPosted);
        var credits = stored.Sum(a => a.CreditsPosted);
        var audit = LedgerAudit.Verify(book);
        var balanced = audit.Balanced && credits - debits == TokenAmount.TotalSupply.BaseUnits && stored.All(a => a.CreditsPosted >= a.DebitsPosted);
        return new Report(connection.Provider.ToString().ToLowerInvariant(), n, total, s.Batch, refusedTotal, seconds, setupSeconds,
            (total - refusedTotal) / seconds, total / inMemory.TotalSeconds, balanced, TokenAmount.TotalSupply.ToString(),
            TokenAmount.FromBaseUnits(credits - debits).ToString());
    }

    private static void Print(Settings s, string store, Report? r, SettlementBench.Result? e, double? pgbenchTps)
    {
        if (s.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                benchmark = "ledger",
                store,
                accounts = r?.Accounts,
                transfers = r?.Transfers,
                batch = r?.Batch,
                refused = r?.Refused,
                transfersPerSecond = r is null ? (double?)null : Math.Round(r.TransfersPerSecond),
                inMemoryTransfersPerSecond = r is null ? (double?)null : Math.Round(r.InMemoryPerSecond),
                seconds = r is null ? (double?)null : Math.Round(r.Seconds, 3),
                setupSeconds = r is null ? (double?)null : Math.Round(r.SetupSeconds, 3),
                settlementSeconds = e is null ? (double?)null : Math.Round(e.SettlementSeconds, 3),
                settlementRunSeconds = e?.RunSeconds.Select(x => Math.Round(x, 3)).ToArray(),
                settlementCpuSeconds = e is null ? (double?)null : Math.Round(e.RunCpuSeconds[0], 3),
                settlementRunCpuSeconds = e?.RunCpuSeconds.Select(x => Math.Round(x, 3)).ToArray(),
                settlementHosts = e?.Hosts,
                settlementLeases = e?.Leases,
                settlementTransfers = e?.Transfers,
                settlementTransfersPerSecond = e is null ? (double?)null : Math.Round(e.Transfers / e.SettlementSeconds),
                settlementPhases = e is null ? null : new { read = Math.Round(e.ReadSeconds, 3), plan = Math.Round(e.PlanSeconds, 3), write = Math.Round(e.WriteSeconds, 3) },
                settlementSeedSeconds = e is null ? (double?)null : Math.Round(e.SeedSeconds, 3),
                settlementBalanced = e?.Balanced,
                settledOnce = e is null ? (bool?)null : e.SettledByBench && e.EpochRows == 1,
                pgbenchTps = pgbenchTps is { } tps ? Math.Round(tps) : (double?)null,
                balanced = r?.Balanced,
                totalSupply = r?.TotalSupply,
                sumOfBalances = r?.SumOfBalances,
            }));
            return;
        }

        if (r is not null)
        {
            var t = new Table().RoundedBorder().Title($"[bold]gpunet bench ledger[/]: {r.Accounts:N0} accounts, {r.Transfers:N0} transfers in batches of {r.Batch:N0}, {store}");
            t.AddColumns("durable transfers/s", "in memory/s", "refused", "seconds", "balanced");
            t.AddRow($"[bold]{r.TransfersPerSecond:N0}[/]", $"{r.InMemoryPerSecond:N0}", $"{r.Refused:N0}", $"{r.Seconds:0.00}", r.Balanced ? "[green]yes[/]" : "[red]NO[/]");
            AnsiConsole.Write(t);
        }

        if (e is not null)
        {
            var t = new Table().RoundedBorder().Title($"[bold]epoch settlement[/]: {e.Hosts:N0} staked hosts, {e.Leases:N0} metered leases, {store} (seeded in {e.SeedSeconds:0.0} s, not measured)");
            t.AddColumns("seconds", "transfers", "transfers/s", "read", "plan", "write", "settled once", "balanced");
            t.AddRow($"[bold]{e.SettlementSeconds:0.00}[/]", $"{e.Transfers:N0}", $"{e.Transfers / e.SettlementSeconds:N0}", $"{e.ReadSeconds:0.00}",
                $"{e.PlanSeconds:0.00}", $"{e.WriteSeconds:0.00}", e.SettledByBench && e.EpochRows == 1 ? "[green]yes[/]" : "[red]NO[/]",
                e.Balanced ? "[green]yes[/]" : "[red]NO[/]");
            AnsiConsole.Write(t);
        }

        if (pgbenchTps is { } pg)
            AnsiConsole.MarkupLine($"pgbench -N (simple update), 2 clients, same server: [bold]{pg:N0}[/] tps");
    }
}
