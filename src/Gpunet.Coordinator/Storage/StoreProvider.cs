namespace Gpunet.Coordinator.Storage;

/// <summary>Which database engine a connection string points at.</summary>
public enum StoreProvider
{
    Sqlite,
    Postgres,
}
