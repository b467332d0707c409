using System.Text.Json;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Cli;

/// <summary><c>gpunet bench rent</c> as a user runs it: real orders to running workloads, on SQLite and PostgreSQL.</summary>
[LongRunning]
public sealed class BenchRentTests
{
    public static TheoryData<string> Providers => TestStores.Providers;

    private static string Home() => Directory.CreateTempSubdirectory("gpunet-home-").FullName;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task BenchRent_RunsEveryOrdersWorkload_AndSaysWhereTheTimeWent(string provider)
    {
        var home = Home();
        var db = await TestStores.NewStoreAsync(provider, home);
        var r = await GpunetProcess.RunAsync(TimeSpan.FromMinutes(3), home, null, "bench", "rent", "--orders", "12", "--concurrency", "4", "--hosts", "2",
            "--warmup", "4", "--db", db, "--json");

        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        var json = JsonDocument.Parse(r.Stdout).RootElement;
        Assert.Equal(provider, json.GetProperty("store").GetString());
        Assert.Equal(12, json.GetProperty("orders").GetInt32());
        Assert.Equal(0, json.GetProperty("notStarted").GetInt32());
        // Warmed up by the orders asked for, and it says how much the JIT compiled while the orders were measured.
        Assert.Equal(4, json.GetProperty("warmupOrders").GetInt32());
        Assert.True(json.GetProperty("jitMethodsWhileMeasuring").GetInt64() >= 0);
        Assert.True(json.GetProperty("jitMsWhileMeasuring").GetDouble() >= 0);
        // And what the process spent meanwhile: processor time, and its collections with the time they stopped it.
        var process = json.GetProperty("measuringProcess");
        Assert.True(process.GetProperty("cpuSeconds").GetDouble() > 0, process.ToString());
        Assert.True(process.GetProperty("pauseMs").GetDouble() >= process.GetProperty("longestPauseMs").GetDouble(), process.ToString());
        Assert.True(json.GetProperty("ordersPerSecond").GetDouble() > 0);
        var (p50, p99) = (json.GetProperty("orderToRunningP50Ms").GetDouble(), json.GetProperty("orderToRunningP99Ms").GetDouble());
        Assert.True(p50 > 0 && p99 >= p50, $"order to running p50 {p50} ms, p99 {p99} ms");
        // The parts are each within the whole: accepted, then placed, then running.
        foreach (var part in (string[])["acceptP50Ms", "placeP50Ms", "startP50Ms"])
        {
            var ms = json.GetProperty(part).GetDouble();
            Assert.True(ms >= 0 && ms <= p99, $"{part} {ms} ms of an order-to-running p99 of {p99} ms");
        }

        // And by the system's own spans: each measured order admitted, handed to the market, placed, and started by an agent.
        var spans = json.GetProperty("spans");
        foreach (var span in (string[])["gpunet.order.admission", "gpunet.order.submit", "gpunet.placement", "gpunet.agent.workload.start"])
            Assert.Equal(12, spans.GetProperty(span).GetProperty("Count").GetInt32());

        // And by the market's loop: busy some share of the run, with the orders' submits and the agents' reports.
        var share = json.GetProperty("marketLoopBusyShare").GetDouble();
        Assert.InRange(share, 0.0001, 1.5);
        var loop = json.GetProperty("marketLoop");
        Assert.InRange(loop.GetProperty("submit").GetProperty("Count").GetInt64(), 1, 12);
        Assert.True(loop.GetProperty("reports").GetProperty("BusyMs").GetDouble() > 0);
    }

    [Theory]
    [InlineData("--concurrency", "0", "--concurrency: between 1 and 1000")]
    [InlineData("--orders", "-3", "--orders: between 1 and 1000000")]
    [InlineData("--hosts", "0", "--hosts: between 1 and 2000")]
    [InlineData("--warmup", "-1", "--warmup: between 0 and 1000000")]
    public async Task BenchRent_RefusesBadNumbers_WithTheFlagNamed(string flag, string value, string message)
    {
        var r = await GpunetProcess.RunAsync(Home(), null, "bench", "rent", flag, value, "--json");

        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(message, r.Stdout + r.Stderr, StringComparison.Ordinal);
    }
}
