using Npgsql;

namespace Gpunet.IntegrationTests.Support;

/// <summary>The stores every storage test runs against: SQLite always, PostgreSQL where <c>GPUNET_TEST_POSTGRES</c>
/// names a server (<c>.ci/run</c> starts one; under CI it is required).</summary>
internal static class TestStores
{
    public const string Variable = "GPUNET_TEST_POSTGRES";

    public static TheoryData<string> Providers
    {
        get
        {
            var data = new TheoryData<string> { "sqlite" };
            if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)) || Environment.GetEnvironmentVariable("CI") == "true")
                data.Add("postgres");
            return data;
        }
    }

    /// <summary>A fresh, empty store of the given kind: an SQLite file, or a new PostgreSQL database.</summary>
    public static string NewDatabase(string provider, string dataDir)
    {
        if (provider == "sqlite")
            return Path.Combine(dataDir, "store.db");
        var server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(server))
            throw new InvalidOperationException($"{Variable} is not set: .ci/run starts PostgreSQL and sets it (e.g. Host=127.0.0.1;Username=gpunet;Password=gpunet)");
        return new NpgsqlConnectionStringBuilder(server) { Database = "gpunet_test_" + Guid.NewGuid().ToString("N")[..12] }.ConnectionString;
    }
}
