using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using SQLitePCL;

namespace Gpunet.Coordinator.Storage;

/// <summary>Inserts rows of one entity type on SQLite through one prepared statement (<see cref="SqliteStatements"/>),
/// with the columns and value conversions of EF Core's model, so a row reads back through EF exactly as EF would have
/// written it.</summary>
/// <remarks>For bulk inserts on a hot path (a reconnect storm registers thousands of hosts a second): EF's change
/// tracker costs several times the insert itself. Columns the store generates (an autoincrement key) are left out and
/// <see cref="Insert"/> returns the new row's id. Runs inside whatever transaction the connection has open; dispose it
/// before the connection closes. A refused row throws <see cref="DbUpdateException"/>, as EF's SaveChanges would.</remarks>
/// <typeparam name="T">The entity type; its navigations are not written.</typeparam>
internal sealed class SqliteRowInserter<T> : IDisposable
    where T : class
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _insert;
    private readonly IProperty[] _columns;

    public SqliteRowInserter(DbContext context)
    {
        var type = context.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model");
        _columns = [.. type.GetProperties().Where(p => p.ValueGenerated != ValueGenerated.OnAdd)];
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        var names = string.Join(", ", _columns.Select(p => $"\"{p.GetColumnName(table)}\""));
        var values = string.Join(", ", _columns.Select((_, i) => "?" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        _db = SqliteStatements.Handle(context.Database.GetDbConnection());
        _insert = SqliteStatements.Prepare(_db, $"INSERT INTO \"{table.Name}\" ({names}) VALUES ({values})");
    }

    /// <summary>Inserts <paramref name="row"/>; returns its rowid (the generated key, where the table has one).</summary>
    /// <exception cref="DbUpdateException">The store refused the row (a unique index, a foreign key).</exception>
    public long Insert(T row)
    {
        for (var i = 0; i < _columns.Length; i++)
            SqliteStatements.Bind(_db, _insert, i + 1, SqliteStatements.ToProvider(_columns[i], _columns[i].GetGetter().GetClrValue(row)));
        try
        {
            SqliteStatements.Step(_db, _insert);
        }
        catch (SqliteException e)
        {
            throw new DbUpdateException($"{typeof(T).Name} was refused: {e.Message}", e);
        }

        return raw.sqlite3_last_insert_rowid(_db);
    }

    public void Dispose() => _insert.Dispose();
}
