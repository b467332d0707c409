using Gpunet.Coordinator.Storage;
using Microsoft.EntityFrameworkCore;

namespace Gpunet.Cli.Bench;

/// <summary>The store a benchmark writes to: the one <c>--db</c> names, or a fresh SQLite file in a temporary
/// directory, with the schema ensured. Disposing deletes the temporary directory, or on a given store runs the
/// benchmark's own clean-up of the rows it wrote.</summary>
internal sealed class BenchStore : IAsyncDisposable
{
    private readonly string? _tempDir;
    private readonly Func<GpunetDb, Task> _cleanUp;

    private BenchStore(StoreConnection connection, string? tempDir, Func<GpunetDb, Task> cleanUp)
    {
        Connection = connection;
        Factory = connection.CreateDbContextFactory();
        _tempDir = tempDir;
        _cleanUp = cleanUp;
    }

    public StoreConnection Connection { get; }

    public IDbContextFactory<GpunetDb> Factory { get; }

    /// <param name="db">The <c>--db</c> value; null or blank for a fresh SQLite file.</param>
    /// <param name="run">Names the temporary directory.</param>
    /// <param name="cleanUp">Removes the run's rows from a given (shared) store.</param>
    public static async Task<BenchStore> OpenAsync(string? db, string run, Func<GpunetDb, Task> cleanUp, CancellationToken ct)
    {
        string? tempDir = null;
        if (string.IsNullOrWhiteSpace(db))
        {
            tempDir = Path.Combine(Path.GetTempPath(), "gpunet-bench-" + run);
            db = Path.Combine(tempDir, "store.db");
        }

        StoreConnection connection;
        try
        {
            connection = StoreConnection.Parse(db);
        }
        catch (ArgumentException e)
        {
            throw new CliException(e.Message, e);
        }

        var store = new BenchStore(connection, tempDir, cleanUp);
        try
        {
            await StoreSchema.EnsureAsync(store.Factory, ct);
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_tempDir is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(_tempDir))
                Directory.Delete(_tempDir, recursive: true);
            return;
        }

        await using var db = await Factory.CreateDbContextAsync(CancellationToken.None);
        await _cleanUp(db);
    }
}
