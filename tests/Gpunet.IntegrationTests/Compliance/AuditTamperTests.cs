using System.Data.Common;
using System.Net.Http.Json;
using System.Text.Json;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Compliance;

/// <summary>The audit log's hash chain against someone with write access to the database: an altered, removed or
/// rehashed entry is named by <c>GET /api/v1/audit/verify</c>.</summary>
public sealed class AuditTamperTests
{
    public static TheoryData<string> Providers => TestStores.Providers;

    // A few real decisions: three submissions, two approvals, one rejection.
    private static async Task<(string Dir, string Db)> DecisionsAsync(string provider)
    {
        var dir = TestCoordinator.NewDataDir();
        var db = await TestStores.NewStoreAsync(provider, dir);
        await using var c = await TestCoordinator.StartAsync(dir, db, configure: o => o.Compliance.ApproveAllKyc = false);
        for (var i = 0; i < 3; i++)
        {
            using var p = await c.CustomerAsync(Wallet.Create(), funds: 0);
            var s = await Kyc.SubmitAsync(p, Kyc.Person($"Person Number {i}"));
            await Kyc.DecideAsync(c.Admin, s.GetProperty("id").GetString()!, approve: i < 2, i < 2 ? "ok" : "blurred photo");
        }

        var verified = await Kyc.VerifyAsync(c.Admin);
        Assert.True(verified.GetProperty("valid").GetBoolean(), verified.ToString());
        Assert.True(verified.GetProperty("entries").GetInt64() >= 9);
        return (dir, db);
    }

    private static async Task<JsonElement> VerifyAfterAsync(string dir, string db)
    {
        await using var c = await TestCoordinator.StartAsync(dir, db);
        return await c.Admin.GetFromJsonAsync<JsonElement>("/api/v1/audit/verify");
    }

    private static async Task ExecuteAsync(string provider, string db, string sql)
    {
        await using DbConnection connection = provider == "sqlite"
            ? new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Pooling=False")
            : new Npgsql.NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Verify_AnOutcomeRewritten_NamesThatEntry(string provider)
    {
        var (dir, db) = await DecisionsAsync(provider);
        await ExecuteAsync(provider, db, "UPDATE audit_log SET \"Outcome\" = 'approved until 2099-01-01' WHERE \"Sequence\" = 4");

        var v = await VerifyAfterAsync(dir, db);
        Assert.False(v.GetProperty("valid").GetBoolean());
        Assert.Equal(4, v.GetProperty("firstInvalidSequence").GetInt64());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Verify_AnEntryRemovedFromTheMiddle_NamesTheGap(string provider)
    {
        var (dir, db) = await DecisionsAsync(provider);
        await ExecuteAsync(provider, db, "DELETE FROM audit_log WHERE \"Sequence\" = 5");

        var v = await VerifyAfterAsync(dir, db);
        Assert.False(v.GetProperty("valid").GetBoolean());
        Assert.Equal(5, v.GetProperty("firstInvalidSequence").GetInt64());
        Assert.Contains("5", v.GetProperty("problem").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TheLastEntryRemoved_IsCaughtByTheRecordedHead()
    {
        var (dir, db) = await DecisionsAsync("sqlite");
        await ExecuteAsync("sqlite", db, "DELETE FROM audit_log WHERE \"Sequence\" = (SELECT MAX(\"Sequence\") FROM audit_log)");

        var v = await VerifyAfterAsync(dir, db);
        Assert.False(v.GetProperty("valid").GetBoolean());
        Assert.Contains("removed", v.GetProperty("problem").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_AnEntryAlteredAndItsHashRecomputed_IsStillCaught()
    {
        var (dir, db) = await DecisionsAsync("sqlite");
        // The forger rewrites entry 3's decider and gives it a hash that fits its new contents (computed exactly as the
        // log does, from the stored row); entry 4 still links to the old hash, so the chain breaks there.
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var read = connection.CreateCommand();
            read.CommandText = "SELECT \"At\", \"Subject\", \"Rule\", \"Inputs\", \"ListVersion\", \"PolicyVersion\", \"Outcome\", \"PreviousHash\" FROM audit_log WHERE \"Sequence\" = 3";
            await using var row = await read.ExecuteReaderAsync();
            Assert.True(await row.ReadAsync());
            // SQLite keeps times through EF Core's DateTimeOffset-to-binary converter (see GpunetDb).
            var at = (DateTimeOffset)new Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter().ConvertFromProvider(row.GetInt64(0))!;
            var rehashed = Gpunet.Core.Audit.AuditChain.ComputeHash(3, at, row.GetString(1), row.GetString(2), row.GetString(3),
                row.IsDBNull(4) ? null : row.GetString(4), row.IsDBNull(5) ? null : row.GetString(5), row.GetString(6), "someone-else", row.GetString(7));
            await row.DisposeAsync();
            await using var write = connection.CreateCommand();
            write.CommandText = $"UPDATE audit_log SET \"DecidedBy\" = 'someone-else', \"Hash\" = '{rehashed}' WHERE \"Sequence\" = 3";
            Assert.Equal(1, await write.ExecuteNonQueryAsync());
        }

        var v = await VerifyAfterAsync(dir, db);
        Assert.False(v.GetProperty("valid").GetBoolean());
        Assert.Equal(3, v.GetProperty("firstInvalidSequence").GetInt64());
        Assert.Contains("3", v.GetProperty("problem").GetString(), StringComparison.Ordinal);
    }
}
