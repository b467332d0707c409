using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Gpunet.Coordinator.Storage;

/// <summary>The settings SQLite keeps per connection, applied to every connection EF Core opens on an SQLite store.</summary>
/// <remarks>
/// <para><c>synchronous=NORMAL</c>: in WAL mode a commit is durable against a crash of the process (what a SIGKILL
/// does) without an fsync of its own; the WAL is synced at checkpoints, so only an OS crash or a power cut can take
/// back the last commits. Without it every connection but the ledger's ran at FULL, an fsync per commit: about 7 ms
/// per lease change on this machine. PostgreSQL is the store for a network that must survive a power cut.</para>
/// <para><c>busy_timeout</c>: SQLite has one writer at a time. Without a timeout SQLite returns BUSY at once and
/// Microsoft.Data.Sqlite retries after sleeping 150 ms, so a write that met another (the ledger's batch, the usage
/// writer) took 150 ms; SQLite's own busy handler waits in steps of 1 to 100 ms instead. The timeout is the
/// connection's <see cref="SqliteConnection.DefaultTimeout"/>, as Microsoft.Data.Sqlite's own retries would.</para>
/// </remarks>
internal sealed class SqliteConnectionSettings : DbConnectionInterceptor
{
    public static readonly SqliteConnectionSettings Instance = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (connection is SqliteConnection sqlite)
        {
            using var command = Command(sqlite);
            command.ExecuteNonQuery();
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (connection is SqliteConnection sqlite)
        {
            await using var command = Command(sqlite);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static SqliteCommand Command(SqliteConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={Math.Max(connection.DefaultTimeout, 1) * 1000L};";
        return command;
    }
}
