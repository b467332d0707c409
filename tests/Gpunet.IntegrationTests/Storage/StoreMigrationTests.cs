using System.Net.Http.Json;
using System.Text.Json;
using Gpunet.Coordinator.Storage;
using Gpunet.Coordinator.Storage.Migrations.Postgres;
using Gpunet.Coordinator.Storage.Migrations.Sqlite;
using Gpunet.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.IntegrationTests.Storage;

/// <summary>Stores are upgraded by migration: a store made by the last released schema opens with nothing lost, a
/// new store gets the same schema, and a store from a newer coordinator is refused.</summary>
public sealed class StoreMigrationTests
{
    public static TheoryData<string> Providers => TestStores.Providers;

    // Rows the fixture holds (see Storage/Fixtures/README.md): a devnet run with three leases.
    private const string EndedLease = "lease-7a9e9c7678d2";
    private const string RunningLease = "lease-467bbc5394f6";
    private const string H100Host = "host-e5ef011b3f22";
    private const string H100Operator = "0x78bcca48078bcfa6bc0f7fdbc0916b5dd247fefc";

    /// <summary>Opens the store as a coordinator's start does.</summary>
    private static Task OpenAsync(string db) => StoreSchema.EnsureAsync(StoreConnection.Parse(db), CancellationToken.None);

    private static List<string> KnownMigrations(string provider)
    {
        using GpunetDb db = provider == "sqlite"
            ? SqliteMigrationsDb.Open("Data Source=:memory:")
            : PostgresMigrationsDb.Open("Host=127.0.0.1;Database=unused");
        return [.. db.Database.GetMigrations()];
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ReleasedStore_Upgraded_KeepsEveryRowAndRecordsTheMigrations(string provider)
    {
        var db = await ReleasedStore.CopyAsync(provider, TestCoordinator.NewDataDir());
        var before = await ReleasedStore.RowsAsync(db);

        await OpenAsync(db);

        var after = await ReleasedStore.RowsAsync(db);
        // Tables added since the release are there, empty.
        Assert.Equal(before.Keys.Concat(TablesAdded).Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        Assert.All(TablesAdded, t => Assert.Empty(after[t]));
        // Every released row is kept, with the columns later migrations added at their values for old rows: reports
        // and lines are the first attempt's, no host has a stored heard span yet, no lease carries milliseconds.
        foreach (var (table, rows) in before.Where(t => t.Key != "meta"))
            Assert.True(Released(table, rows).SequenceEqual(Released(table, after[table])), $"table {table} changed in the upgrade");
        Assert.All(after["lease_usage"].Concat(after["lease_logs"]), r => Assert.Equal("1", Field(r, "Attempt")));
        Assert.All(after["hosts"], r => Assert.Equal("", Field(r, "HeardSince")));
        Assert.All(after["lease_billing"], r => Assert.Equal("0", Field(r, "CarriedMs")));
        Assert.Equal(KnownMigrations(provider), await ReleasedStore.AppliedMigrationsAsync(db));
        // A released coordinator reads the version and refuses the upgraded store.
        Assert.Contains($"Key=schema_version|Value={KnownMigrations(provider)[^1]}", after["meta"]);

        // The fixture is not empty: what the comparison above covered.
        Assert.Equal(4, after["hosts"].Count);
        Assert.Equal(22, after["host_gpus"].Count);
        Assert.Equal(3, after["orders"].Count);
        Assert.Equal(19, after["ledger_accounts"].Count);
        Assert.Equal(80, after["ledger_transfers"].Count);
        Assert.Equal(5, after["kyc_submissions"].Count);
        Assert.Equal(20, after["audit_log"].Count);
        Assert.Contains(after["leases"], l => l.StartsWith($"Id={RunningLease}|", StringComparison.Ordinal) && l.Contains("|State=Running|", StringComparison.Ordinal));
        Assert.Contains("Key=schema_version|Value=7", before["meta"]);
        Assert.NotEmpty(after["lease_usage"]);
        Assert.NotEmpty(after["lease_logs"]);
    }

    /// <summary>Tables added after the released schema.</summary>
    private static readonly string[] TablesAdded = ["alert_deliveries", "alert_webhooks", "check_refusals", "check_reports", "checker_licences", "checks", "console_links", "data_protection_keys", "host_changes", "host_earnings", "leadership", "maintenance_windows", "planted_hosts", "sign_in_challenges", "sla_credits"];

    /// <summary>Columns added after the released schema, per table.</summary>
    private static readonly Dictionary<string, string[]> Added = new(StringComparer.Ordinal)
    {
        ["lease_usage"] = ["Attempt"],
        ["lease_logs"] = ["Attempt"],
        ["hosts"] = ["HeardSince"],
        ["lease_billing"] = ["CarriedMs"],
        ["leases"] = ["Endpoint", "SlaTier"],
    };

    /// <summary>One column's value in a row as <see cref="ReleasedStore.RowsAsync"/> writes it.</summary>
    private static string Field(string row, string column) =>
        row.Split('|').Single(f => f.StartsWith(column + "=", StringComparison.Ordinal))[(column.Length + 1)..];

    /// <summary>Rows as the released schema had them, each row's columns in name order (an upgrade that rebuilds a
    /// table may order them anew): without the columns added since.</summary>
    private static List<string> Released(string table, List<string> rows)
    {
        var added = Added.GetValueOrDefault(table) ?? [];
        var released = rows.Select(r => string.Join('|', r.Split('|')
            .Where(f => !added.Any(a => f.StartsWith(a + "=", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal))).ToList();
        released.Sort(StringComparer.Ordinal);
        return released;
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ReleasedStore_OpenedByTheCoordinator_ServesItsHostsLeasesAndBalances(string provider)
    {
        var data = TestCoordinator.NewDataDir();
        var db = await ReleasedStore.CopyAsync(provider, data);

        await using var coordinator = await TestCoordinator.StartAsync(data, db);

        var host = await coordinator.HostAsync(H100Host);
        Assert.NotNull(host);
        Assert.Equal(8, host.Gpus.Count);
        Assert.All(host.Gpus, g => Assert.Equal("H100-SXM5-80GB", g.Model));
        var lease = await coordinator.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/leases/{EndedLease}", TestCoordinator.Json);
        Assert.Equal("Succeeded", lease.GetProperty("state").GetString());
        Assert.Equal(H100Host, lease.GetProperty("hostId").GetString());
        // Balances the coordinator does not move on its own here (no settlement is due; this host serves no lease).
        var wallet = await coordinator.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/wallet?address={H100Operator}", TestCoordinator.Json);
        Assert.Equal("8000", wallet.GetProperty("staked").GetString());
        var ledger = await coordinator.Admin.GetFromJsonAsync<JsonElement>("/api/v1/ledger/verify", TestCoordinator.Json);
        Assert.True(ledger.GetProperty("balanced").GetBoolean(), ledger.ToString());
        Assert.Equal("42000000000", ledger.GetProperty("totalSupply").ToString());
        var audit = await coordinator.Admin.GetFromJsonAsync<JsonElement>("/api/v1/audit/verify", TestCoordinator.Json);
        Assert.True(audit.GetProperty("valid").GetBoolean(), audit.ToString());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task NewStore_Opened_HasTheSchemaOfAnUpgradedReleasedStoreAndEveryMigration(string provider)
    {
        var released = await ReleasedStore.CopyAsync(provider, TestCoordinator.NewDataDir());
        var fresh = TestStores.NewDatabase(provider, TestCoordinator.NewDataDir());

        await OpenAsync(released);
        await OpenAsync(fresh);

        Assert.Equal(await ReleasedStore.SchemaAsync(released), await ReleasedStore.SchemaAsync(fresh));
        Assert.Equal(KnownMigrations(provider), await ReleasedStore.AppliedMigrationsAsync(fresh));
        Assert.Equal(["Key=ledger_version|Value=0", $"Key=schema_version|Value={KnownMigrations(provider)[^1]}"], (await ReleasedStore.RowsAsync(fresh))["meta"]);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Store_MigratedByANewerCoordinator_IsRefusedAndLeftAsItIs(string provider)
    {
        var db = TestStores.NewDatabase(provider, TestCoordinator.NewDataDir());
        await OpenAsync(db);
        const string future = "29991231000000_FromANewerCoordinator";
        await ReleasedStore.ExecuteAsync(db, $"INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\") VALUES ('{future}', '10.0.15')");
        var before = await ReleasedStore.RowsAsync(db);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => OpenAsync(db));

        Assert.Contains($"migration '{future}' is unknown here", e.Message, StringComparison.Ordinal);
        Assert.Contains("newer coordinator", e.Message, StringComparison.Ordinal);
        Assert.Equal([.. KnownMigrations(provider), future], await ReleasedStore.AppliedMigrationsAsync(db));
        Assert.Equal(before, await ReleasedStore.RowsAsync(db));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task MigrationHistory_IsCurrentOnlyWithExactlyTheKnownMigrations_WhichAreEfCoresOwn(string provider)
    {
        Assert.Equal(KnownMigrations(provider), MigrationHistory.Known(provider == "sqlite" ? typeof(SqliteMigrationsDb) : typeof(PostgresMigrationsDb)));
        var released = StoreConnection.Parse(await ReleasedStore.CopyAsync(provider, TestCoordinator.NewDataDir()));
        var fresh = StoreConnection.Parse(TestStores.NewDatabase(provider, TestCoordinator.NewDataDir()));

        // Nothing there yet, and a store a release made: both are upgraded, after which a restart has nothing to do.
        Assert.False(await MigrationHistory.IsCurrentAsync(fresh, CancellationToken.None));
        Assert.False(await MigrationHistory.IsCurrentAsync(released, CancellationToken.None));
        await OpenAsync(fresh.ConnectionString);
        await OpenAsync(released.ConnectionString);
        Assert.True(await MigrationHistory.IsCurrentAsync(fresh, CancellationToken.None));
        Assert.True(await MigrationHistory.IsCurrentAsync(released, CancellationToken.None));

        // One migration too many (a newer coordinator's) is not current: the full upgrade refuses it.
        await ReleasedStore.ExecuteAsync(fresh.ConnectionString,
            "INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\") VALUES ('29991231000000_FromANewerCoordinator', '10.0.15')");
        Assert.False(await MigrationHistory.IsCurrentAsync(fresh, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => OpenAsync(fresh.ConnectionString));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ReleasedStore_OpenedByTwoCoordinatorsAtOnce_IsUpgradedOnce(string provider)
    {
        var db = await ReleasedStore.CopyAsync(provider, TestCoordinator.NewDataDir());
        var before = await ReleasedStore.RowsAsync(db);

        await Task.WhenAll(Task.Run(() => OpenAsync(db)), Task.Run(() => OpenAsync(db)));

        Assert.Equal(KnownMigrations(provider), await ReleasedStore.AppliedMigrationsAsync(db));
        var after = await ReleasedStore.RowsAsync(db);
        foreach (var (table, rows) in before.Where(t => t.Key != "meta"))
            Assert.True(Released(table, rows).SequenceEqual(Released(table, after[table])), $"table {table} changed in the upgrade");
        Assert.All(after["lease_usage"], r => Assert.Equal("1", Field(r, "Attempt")));
    }
}
