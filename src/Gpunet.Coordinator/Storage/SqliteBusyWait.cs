using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace Gpunet.Coordinator.Storage;

/// <summary>Has SQLite itself wait for a busy database (its busy handler, <c>sqlite3_busy_timeout</c>) on every
/// connection the store opens.</summary>
/// <remarks>SQLite admits one writer at a time. Without a busy handler the ADO.NET provider retries a refused
/// <c>BEGIN IMMEDIATE</c> every 150 ms, so a writer that arrived a moment after another lost 150 ms however short the
/// other's transaction was: with registrations, locations, capacity rows and the monitor writing at once, the
/// registration writer slept for half of a 10,000-agent reconnect storm. SQLite's own handler retries after 1, 2, 5, 10 …
/// up to 100 ms, so a writer waits about as long as the one before it writes. The wait is bounded as the provider's
/// command timeout was (30 s), after which the provider's own retry loop still applies.</remarks>
internal sealed class SqliteBusyWait : DbConnectionInterceptor
{
    /// <summary>The shared instance; it holds no state.</summary>
    public static readonly SqliteBusyWait Instance = new();

    /// <summary>The longest SQLite waits for another writer before it reports the database busy.</summary>
    public const int TimeoutMs = 30_000;

    private SqliteBusyWait()
    {
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    /// <summary>Sets the busy timeout on an open SQLite connection (a call on its handle, no statement).</summary>
    public static void Apply(DbConnection connection) => raw.sqlite3_busy_timeout(SqliteStatements.Handle(connection), TimeoutMs);
}
