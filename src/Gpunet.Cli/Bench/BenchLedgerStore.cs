using Gpunet.Coordinator.Storage;
using Npgsql;

namespace Gpunet.Cli.Bench;

/// <summary>A store of the ledger benchmark's own, so no coordinator's ledger ever holds its accounts: with no
/// <c>--db</c>, a fresh SQLite file in a temporary directory; with a SQLite file, a fresh file beside it (the same
/// disk); with PostgreSQL, a database created on the same server. All of it is removed afterwards.</summary>
internal sealed class BenchLedgerStore : IAsyncDisposable
{
    private readonly string? _server;
    private readonly string? _scratchDb;
    private readonly string? _file;

    private BenchLedgerStore(BenchStore store, string? server, string? scratchDb, string? file)
    {
        Store = store;
        _server = server;
        _scratchDb = scratchDb;
        _file = file;
    }

    /// <summary>The bench's store, schema ensured.</summary>
    public BenchStore Store { get; }

    /// <param name="db">The <c>--db</c> value: where to make the bench's own store; null or blank for a temporary file.</param>
    /// <param name="run">Names the store.</param>
    public static async Task<BenchLedgerStore> OpenAsync(string? db, string run, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(db))
            return new BenchLedgerStore(await BenchStore.OpenAsync(null, run, _ => Task.CompletedTask, ct), null, null, null);
        StoreConnection given;
        try
        {
            given = StoreConnection.Parse(db);
        }
        catch (ArgumentException e)
        {
            throw new CliException(e.Message, e);
        }

        if (given.Provider == StoreProvider.Postgres)
        {
            var scratch = "gpunet_ledger_bench_" + run;
            await ScratchDatabase.CreateAsync(db, scratch, ct);
            var database = new NpgsqlConnectionStringBuilder(db) { Database = scratch }.ConnectionString;
            try
            {
                return new BenchLedgerStore(await BenchStore.OpenAsync(database, run, _ => Task.CompletedTask, ct), db, scratch, null);
            }
            catch
            {
                await ScratchDatabase.DropAsync(db, scratch, CancellationToken.None);
                throw;
            }
        }

        var file = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(db)) ?? ".", $"gpunet-ledger-bench-{run}.db");
        return new BenchLedgerStore(await BenchStore.OpenAsync(file, run, _ => Task.CompletedTask, ct), null, null, file);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        if (_scratchDb is not null)
            await ScratchDatabase.DropAsync(_server!, _scratchDb, CancellationToken.None);
        if (_file is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var path in (ReadOnlySpan<string>)[_file, _file + "-wal", _file + "-shm"])
                File.Delete(path);
        }
    }
}
