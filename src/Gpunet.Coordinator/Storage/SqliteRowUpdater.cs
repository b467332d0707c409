using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using SQLitePCL;

namespace Gpunet.Coordinator.Storage;

/// <summary>Sets some columns of rows of one entity type, found by key, on SQLite through one prepared statement, with
/// the columns and value conversions of EF Core's model (as <see cref="SqliteRowInserter{T}"/> inserts).</summary>
/// <remarks>For bulk updates on a hot path: the host monitor moves a reconnect storm's hosts from Pending to Ready, a
/// thousand a second, and EF's way (load each row tracked, change it, save) cost it an eighth of the coordinator's
/// processor time. Runs inside whatever transaction the connection has open; dispose it before the connection closes.</remarks>
/// <typeparam name="T">The entity type.</typeparam>
internal sealed class SqliteRowUpdater<T> : IDisposable
    where T : class
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _update;
    private readonly IProperty[] _columns;

    /// <param name="context">An open context (its connection's handle is used).</param>
    /// <param name="set">The properties <see cref="Update"/> sets, in the order its values come.</param>
    public SqliteRowUpdater(DbContext context, params string[] set)
    {
        var type = context.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model");
        var key = type.FindPrimaryKey()?.Properties ?? throw new InvalidOperationException($"{typeof(T).Name} has no key");
        _columns = [.. set.Select(n => type.FindProperty(n) ?? throw new InvalidOperationException($"{typeof(T).Name}.{n} is not mapped")), .. key];
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        string Column(IProperty p, int i) => $"\"{p.GetColumnName(table)}\" = ?{(i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        var assignments = string.Join(", ", _columns.Take(set.Length).Select(Column));
        var where = string.Join(" AND ", _columns.Skip(set.Length).Select((p, i) => Column(p, set.Length + i)));
        _db = SqliteStatements.Handle(context.Database.GetDbConnection());
        _update = SqliteStatements.Prepare(_db, $"UPDATE \"{table.Name}\" SET {assignments} WHERE {where}");
    }

    /// <summary>Sets the row's columns: the values of the properties named at construction, then its key. Returns
    /// whether a row had that key.</summary>
    public bool Update(params ReadOnlySpan<object?> values)
    {
        if (values.Length != _columns.Length)
            throw new ArgumentException($"{_columns.Length} values expected (the columns set, then the key)", nameof(values));
        for (var i = 0; i < _columns.Length; i++)
            SqliteStatements.Bind(_db, _update, i + 1, SqliteStatements.ToProvider(_columns[i], values[i]));
        try
        {
            return SqliteStatements.Step(_db, _update) > 0;
        }
        catch (SqliteException e)
        {
            throw new DbUpdateException($"{typeof(T).Name} update was refused: {e.Message}", e);
        }
    }

    public void Dispose() => _update.Dispose();
}
