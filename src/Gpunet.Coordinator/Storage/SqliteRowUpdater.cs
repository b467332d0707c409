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
        : this(context, Properties(EntityType(context), set), [])
    {
    }

    private SqliteRowUpdater(DbContext context, IProperty[] set, IProperty[] match)
    {
        var type = EntityType(context);
        var key = type.FindPrimaryKey()?.Properties ?? throw new InvalidOperationException($"{typeof(T).Name} has no key");
        _columns = [.. set, .. key, .. match];
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        string Column(IProperty p, int i) => $"\"{p.GetColumnName(table)}\" = ?{(i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        var assignments = string.Join(", ", set.Select(Column));
        var where = string.Join(" AND ", _columns.Skip(set.Length).Select((p, i) => Column(p, set.Length + i)));
        _db = SqliteStatements.Handle(context.Database.GetDbConnection());
        _update = SqliteStatements.Prepare(_db, $"UPDATE \"{table.Name}\" SET {assignments} WHERE {where}");
    }

    /// <summary>An updater that writes every column of a row but its key, where the row still holds its key and the
    /// stored value of <paramref name="concurrencyToken"/> that the caller read (<see cref="UpdateRow"/>): EF's
    /// optimistic update of a whole entity, without its change tracker.</summary>
    public static SqliteRowUpdater<T> WholeRow(DbContext context, string concurrencyToken)
    {
        var type = EntityType(context);
        var token = Properties(type, [concurrencyToken]);
        return new SqliteRowUpdater<T>(context, [.. type.GetProperties().Where(p => !p.IsPrimaryKey())], token);
    }

    private static IProperty[] Properties(IEntityType type, string[] names) =>
        [.. names.Select(n => type.FindProperty(n) ?? throw new InvalidOperationException($"{typeof(T).Name}.{n} is not mapped"))];

    private static IEntityType EntityType(DbContext context) =>
        context.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model");

    /// <summary>Sets the row's columns: the values of the properties named at construction, then its key. Returns
    /// whether a row had that key.</summary>
    public bool Update(params ReadOnlySpan<object?> values)
    {
        if (values.Length != _columns.Length)
            throw new ArgumentException($"{_columns.Length} values expected (the columns set, then the key)", nameof(values));
        for (var i = 0; i < _columns.Length; i++)
            SqliteStatements.Bind(_db, _update, i + 1, SqliteStatements.ToProvider(_columns[i], values[i]));
        return Step();
    }

    /// <summary>Writes <paramref name="row"/> over the stored row with its key, if that row still holds
    /// <paramref name="storedToken"/> (of an updater made by <see cref="WholeRow"/>). Returns whether it did.</summary>
    public bool UpdateRow(T row, object? storedToken)
    {
        for (var i = 0; i < _columns.Length - 1; i++)
            SqliteStatements.Bind(_db, _update, i + 1, SqliteStatements.ToProvider(_columns[i], _columns[i].GetGetter().GetClrValue(row)));
        SqliteStatements.Bind(_db, _update, _columns.Length, SqliteStatements.ToProvider(_columns[^1], storedToken));
        return Step();
    }

    private bool Step()
    {
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
