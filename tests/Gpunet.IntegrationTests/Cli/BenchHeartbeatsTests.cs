using System.Text.Json;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Cli;

/// <summary><c>gpunet bench heartbeats</c> as a user runs it: agents registering together, then heartbeating.</summary>
public sealed class BenchHeartbeatsTests
{
    private static string Home() => Directory.CreateTempSubdirectory("gpunet-home-").FullName;

    [Fact]
    public async Task BenchHeartbeats_MoreRegistrationsInFlightThanOneSourcesHandshakeLimit_RegistersEveryAgent()
    {
        // 300 at once from 127.0.0.1, above the coordinator's 256 open handshakes per source, from agents beside it.
        var r = await GpunetProcess.RunAsync(TimeSpan.FromMinutes(3), Home(), null, "bench", "heartbeats", "--hosts", "300", "--in-flight", "300",
            "--connections", "2", "--seconds", "1", "--warmup", "0", "--agents", "in-process", "--json");

        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        var json = JsonDocument.Parse(r.Stdout).RootElement;
        Assert.Equal(300, json.GetProperty("inFlight").GetInt32());
        Assert.True(json.GetProperty("registrationSeconds").GetDouble() > 0);
        var spans = json.GetProperty("registrationSpans");
        foreach (var span in (string[])["gpunet.agent.register", "gpunet.agent.register.verify", "gpunet.agent.register.store"])
            Assert.Equal(300, spans.GetProperty(span).GetProperty("count").GetInt32());
        Assert.True(json.GetProperty("heartbeats").GetInt64() > 0);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("agentsHeartbeatProcess").ValueKind);
        // A process just started compiles its code while the agents register, and the figures say how much.
        var registering = json.GetProperty("registrationProcess");
        Assert.True(registering.GetProperty("jitMethods").GetInt64() > 0, registering.ToString());
        Assert.True(registering.GetProperty("jitMs").GetDouble() > 0, registering.ToString());
    }

    [Fact]
    public async Task BenchHeartbeats_ByDefault_AgentsInAProcessOfTheirOwn_RegisterAndHeartbeatFromIt_EachProcessReportedApart()
    {
        var r = await GpunetProcess.RunAsync(TimeSpan.FromMinutes(3), Home(), null, "bench", "heartbeats", "--hosts", "200",
            "--connections", "2", "--seconds", "1", "--warmup", "0", "--ack-every", "1", "--json");

        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        var json = JsonDocument.Parse(r.Stdout).RootElement;
        Assert.Equal("process", json.GetProperty("agents").GetString());
        // The coordinator here registered every agent the other process made and heard their heartbeats.
        Assert.Equal(200, json.GetProperty("registrationSpans").GetProperty("gpunet.agent.register").GetProperty("count").GetInt32());
        Assert.True(json.GetProperty("heartbeats").GetInt64() > 0);
        Assert.True(json.GetProperty("latencySamples").GetInt32() > 0);
        Assert.True(json.GetProperty("p99Ms").GetDouble() > 0);
        // The agents' own process compiled its own code: its figures are its, not the coordinator's.
        Assert.True(json.GetProperty("agentsRegistrationProcess").GetProperty("jitMethods").GetInt64() > 0);
        Assert.True(json.GetProperty("agentsHeartbeatProcess").GetProperty("cpuSeconds").GetDouble() > 0);
    }

    [Theory]
    [MemberData(nameof(TestStores.Providers), MemberType = typeof(TestStores))]
    public async Task BenchHeartbeats_TwoCoordinatorsOnOneStore_StandardOutputIsTheJsonAlone(string provider)
    {
        // Two coordinators registering 300 hosts at once append to one audit log: on PostgreSQL some appends collide and
        // are retried, and EF logs each collision as an error. The log goes to standard error, never into the JSON.
        var home = Home();
        var db = await TestStores.NewStoreAsync(provider, home);
        var r = await GpunetProcess.RunAsync(TimeSpan.FromMinutes(3), home, null, "bench", "heartbeats", "--hosts", "300", "--coordinators", "2",
            "--db", db, "--connections", "2", "--seconds", "1", "--warmup", "0", "--json");

        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        var json = JsonDocument.Parse(r.Stdout).RootElement;
        Assert.Equal(provider, json.GetProperty("store").GetString());
        Assert.Equal(2, json.GetProperty("coordinators").GetInt32());
        Assert.True(json.GetProperty("heartbeats").GetInt64() > 0);
    }

    [Fact]
    public async Task BenchHeartbeats_AgentsNowhere_RefusedWithTheFlagNamed()
    {
        var r = await GpunetProcess.RunAsync(Home(), null, "bench", "heartbeats", "--agents", "elsewhere", "--json");

        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("--agents: process or in-process", r.Stdout + r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BenchHeartbeats_InFlightZero_RefusedWithTheFlagNamed()
    {
        var r = await GpunetProcess.RunAsync(Home(), null, "bench", "heartbeats", "--in-flight", "0", "--json");

        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("--in-flight: between 1 and 200000", r.Stdout + r.Stderr, StringComparison.Ordinal);
    }
}
