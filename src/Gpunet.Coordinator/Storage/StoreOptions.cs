using System.ComponentModel.DataAnnotations;

namespace Gpunet.Coordinator.Storage;

/// <summary>Where the coordinator keeps its state: the database and its data folder. Bound from the <c>Coordinator</c> section, keys as named here.</summary>
public sealed class StoreOptions
{
    /// <summary>SQLite file path, SQLite connection string, or PostgreSQL connection string. Default: <c>gpunet.db</c> in the data directory.</summary>
    public string? Database { get; set; }

    /// <summary>Where the coordinator keeps its files (SQLite database, token-protection keys). Default: <c>./gpunet-data</c>.</summary>
    [Required]
    public string DataDirectory { get; set; } = "gpunet-data";

    /// <summary>The database to open: <see cref="Database"/>, or the SQLite default <c>gpunet.db</c> in the data directory.</summary>
    public string EffectiveDatabase => string.IsNullOrWhiteSpace(Database) ? Path.Combine(DataDirectory, "gpunet.db") : Database;
}
