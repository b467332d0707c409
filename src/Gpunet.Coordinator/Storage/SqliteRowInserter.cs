using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using SQLitePCL;

namespace Gpunet.Coordinator.Storage;

/// <summary>Inserts rows of one entity type on SQLite through one prepared statement (<see cref="SqliteStatements"/>),
/// with the columns and value conversions of EF Core's model, so a row reads back through EF exactly as EF would have
/// written it.</summary>
/// <remarks>For bulk inserts on a hot path (a reconnect storm registers thousands of hosts a second): EF's change
/// tracker costs several times the insert itself. A column EF would leave to the store when the row holds the CLR default
/// (its sentinel) is written as the store would fill it: the model's default value (<c>HasDefaultValue</c>), or NULL for
/// an autoincrement key, whose new id <see cref="Insert"/> returns. Runs inside whatever transaction the connection has open; dispose it
/// before the connection closes. A refused row throws <see cref="DbUpdateException"/>, as EF's SaveChanges would.</remarks>
/// <typeparam name="T">The entity type; its navigations are not written.</typeparam>
internal sealed class SqliteRowInserter<T> : IDisposable
    where T : class
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _insert;
    private readonly IProperty[] _columns;

    public SqliteRowInserter(DbContext context)
        : this(context.Model, context.Database.GetDbConnection())
    {
    }

    /// <param name="model">The model whose columns and conversions are written (<see cref="GpunetDb.SqliteModel"/>).</param>
    /// <param name="connection">An open SQLite connection.</param>
    public SqliteRowInserter(IModel model, System.Data.Common.DbConnection connection)
    {
        var shape = _shape is { } known && ReferenceEquals(known.Model, model) ? known : (_shape = Shape.Of(model));
        _columns = shape.Columns;
        _db = SqliteStatements.Handle(connection);
        _insert = SqliteStatements.Prepare(_db, shape.Sql);
    }

    // The columns and the statement of T in the last model seen (there is one per provider): worked out once, not for
    // each inserter (an order's rows take four inserters in the ledger's transaction).
    private static Shape? _shape;

    private sealed record Shape(IModel Model, IProperty[] Columns, string Sql)
    {
        public static Shape Of(IModel model)
        {
            var type = model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model");
            IProperty[] columns = [.. type.GetProperties()];
            if (columns.FirstOrDefault(p => p.GetDefaultValueSql() is not null || p.GetComputedColumnSql() is not null) is { } sql)
                throw new NotSupportedException($"{typeof(T).Name}.{sql.Name}: a column the store computes by SQL cannot be written here");
            var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
            var names = string.Join(", ", columns.Select(p => $"\"{p.GetColumnName(table)}\""));
            var values = string.Join(", ", columns.Select((_, i) => "?" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            return new Shape(model, columns, $"INSERT INTO \"{table.Name}\" ({names}) VALUES ({values})");
        }
    }

    /// <summary>Inserts <paramref name="row"/>; returns its rowid (the generated key, where the table has one).</summary>
    /// <exception cref="DbUpdateException">The store refused the row (a unique index, a foreign key).</exception>
    public long Insert(T row)
    {
        for (var i = 0; i < _columns.Length; i++)
            SqliteStatements.Bind(_db, _insert, i + 1, Value(_columns[i], row));
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

    // What EF would write: where the row holds a column's sentinel and EF leaves the column to the store, the store's value.
    private static object? Value(IProperty column, T row)
    {
        var value = column.GetGetter().GetClrValue(row);
        if (column.ValueGenerated.HasFlag(ValueGenerated.OnAdd) && Equals(value, column.Sentinel))
            value = column.TryGetDefaultValue(out var fallback) ? fallback : null;
        return SqliteStatements.ToProvider(column, value);
    }

    public void Dispose() => _insert.Dispose();
}
