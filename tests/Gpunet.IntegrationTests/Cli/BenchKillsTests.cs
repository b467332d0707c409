using System.Text.Json;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Cli;

/// <summary><c>gpunet bench kills</c> as a user runs it: a real coordinator process SIGKILLed under a running lease,
/// restarted on the same store, and the store audited afterwards.</summary>
[LongRunning]
public sealed class BenchKillsTests
{
    // On SQLite only: each restart costs seconds, and the same kills on PostgreSQL are the coordinator crash tests'
    // (tests/Gpunet.IntegrationTests/Faults); the bench was run on PostgreSQL by hand (README, Benchmark).
    [Fact]
    public async Task BenchKills_TwoKillsUnderALease_LedgerBalancesEpochsSettleOnceAndHeardTimeIsBilled()
    {
        const string provider = "sqlite";
        var home = Directory.CreateTempSubdirectory("gpunet-home-").FullName;
        string[] store = [];
        // A heartbeat of 1 s and epochs of 2 s: short, and long enough that the coordinator's bound is not timing noise.
        var r = await GpunetProcess.RunAsync(TimeSpan.FromMinutes(3), home, null,
            ["bench", "kills", "--kills", "2", "--hosts", "1", "--heartbeat", "1", "--epoch", "2", "--seed", "7", "--json", .. store]);

        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        var json = JsonDocument.Parse(r.Stdout).RootElement;
        Assert.True(json.GetProperty("ok").GetBoolean(), json.GetProperty("failures").ToString());
        Assert.Equal(provider, json.GetProperty("store").GetString());
        Assert.Equal("7", json.GetProperty("seed").GetString());
        Assert.Equal(2, json.GetProperty("restartSeconds").GetArrayLength());
        Assert.True(json.GetProperty("balanced").GetBoolean());
        Assert.Equal("42000000000", json.GetProperty("sumOfBalances").GetString());
        Assert.True(json.GetProperty("epochsSettledOnce").GetBoolean());
        Assert.True(json.GetProperty("epochsSettled").GetInt32() > 0);
        var lease = Assert.Single(json.GetProperty("leases").EnumerateArray());
        Assert.Equal("Cancelled", lease.GetProperty("state").GetString());
        // The host was billed, and charged exactly what was billed (no millisecond dropped, nothing twice).
        Assert.True(lease.GetProperty("billedSeconds").GetDouble() > 0);
        Assert.Equal(lease.GetProperty("billedSeconds").GetDouble(), lease.GetProperty("chargedSeconds").GetDouble());
        Assert.InRange(lease.GetProperty("shortfallBeyondUnheardSeconds").GetDouble(), double.MinValue, json.GetProperty("boundSeconds").GetDouble());
        Assert.Equal(0, json.GetProperty("slashes").GetInt32());
    }
}
