using System.Text.Json;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Cli;

[LongRunning]
public sealed class CliCommandTests
{
    private static string Home() => Directory.CreateTempSubdirectory("gpunet-home-").FullName;

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task KeysNew_Json_PrintsAddressAndSavesAPrivateKeyFile()
    {
        var home = Home();
        var file = Path.Combine(home, "op.key");
        var r = await GpunetProcess.RunAsync(home, null, "keys", "new", "--out", file, "--json");
        Assert.Equal(0, r.ExitCode);
        var json = JsonDocument.Parse(r.Stdout).RootElement;
        var address = json.GetProperty("address").GetString()!;
        Assert.Equal(Wallet.FromPrivateKey(File.ReadAllText(file)).Address.Value, address);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));

        var again = await GpunetProcess.RunAsync(home, null, "keys", "new", "--out", file);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("already exists", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(address, Wallet.FromPrivateKey(File.ReadAllText(file)).Address.Value); // untouched
    }

    [Fact]
    public async Task HostsAndGpus_Json_AgainstARealCoordinator()
    {
        await using var c = await TestCoordinator.StartAsync();
        await using var agent = TestAgent.Start(c.ApiUrl, "H100-SXM5-80GB:8", "DE");
        var id = await agent.HostIdAsync();
        await c.WaitForStateAsync(id, "Ready");
        var env = new Dictionary<string, string> { ["GPUNET_ADMIN_TOKEN"] = c.AdminToken };

        var hosts = await GpunetProcess.RunAsync(Home(), env, "hosts", "--coordinator", c.ApiUrl, "--json");
        Assert.True(hosts.ExitCode == 0, hosts.Stderr);
        var host = Assert.Single(JsonDocument.Parse(hosts.Stdout).RootElement.EnumerateArray());
        Assert.Equal(id, host.GetProperty("id").GetString());
        Assert.Equal(agent.Wallet.Address.Value, host.GetProperty("address").GetString());
        Assert.Equal("Ready", host.GetProperty("state").GetString());
        Assert.False(string.IsNullOrEmpty(host.GetProperty("stateReason").GetString()));
        Assert.Equal("DE", host.GetProperty("country").GetString());
        var gpu = host.GetProperty("gpus")[0];
        Assert.Equal("H100-SXM5-80GB", gpu.GetProperty("model").GetString());
        Assert.Equal(80, gpu.GetProperty("vramGb").GetInt32());
        Assert.StartsWith("GPU-", gpu.GetProperty("uuid").GetString(), StringComparison.Ordinal);

        // A table written to a pipe is laid out in COLUMNS when set (else 80, where this reason wraps over lines).
        var reason = host.GetProperty("stateReason").GetString()!;
        var wide = await GpunetProcess.RunAsync(Home(), new Dictionary<string, string>(env) { ["COLUMNS"] = "240" }, "hosts", "--coordinator", c.ApiUrl);
        Assert.True(wide.ExitCode == 0, wide.Stderr);
        Assert.Contains(wide.Stdout.Split('\n'), line => line.Contains(id, StringComparison.Ordinal) && line.Contains(reason, StringComparison.Ordinal));
        var narrow = await GpunetProcess.RunAsync(Home(), env, "hosts", "--coordinator", c.ApiUrl);
        Assert.DoesNotContain(reason, narrow.Stdout, StringComparison.Ordinal);

        var show = await GpunetProcess.RunAsync(Home(), env, "hosts", "show", id, "--coordinator", c.ApiUrl, "--json");
        Assert.True(show.ExitCode == 0, show.Stderr);
        // Registered, then Ready; a loaded CI machine may add a Suspect → Ready flap after that.
        var transitions = JsonDocument.Parse(show.Stdout).RootElement.GetProperty("transitions").EnumerateArray()
            .Select(t => t.GetProperty("to").GetString()).ToList();
        Assert.True(transitions.Count >= 2 && transitions.Contains("Pending") && transitions.Contains("Ready"), string.Join(", ", transitions));

        var gpus = await GpunetProcess.RunAsync(Home(), env, "gpus", "model=H100 count>=8", "--coordinator", c.ApiUrl, "--json");
        Assert.True(gpus.ExitCode == 0, gpus.Stderr);
        Assert.Equal(8, JsonDocument.Parse(gpus.Stdout).RootElement[0].GetProperty("count").GetInt32());

        var table = await GpunetProcess.RunAsync(Home(), env, "hosts", "--coordinator", c.ApiUrl);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("Ready", table.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gpus_BadQuery_ExitsNonZeroPointingAtTheToken()
    {
        await using var c = await TestCoordinator.StartAsync();
        var env = new Dictionary<string, string> { ["GPUNET_ADMIN_TOKEN"] = c.AdminToken };
        var r = await GpunetProcess.RunAsync(Home(), env, "gpus", "model=H100 vrm>=80", "--coordinator", c.ApiUrl);
        Assert.NotEqual(0, r.ExitCode);
        var lines = r.Stderr.Trim().Split('\n');
        Assert.StartsWith("gpunet: unknown field 'vrm' at column 12", lines[0], StringComparison.Ordinal);
        Assert.Equal("model=H100 vrm>=80", lines[1]);
        Assert.Equal("           ^^^", lines[2]);
    }

    [Theory]
    [InlineData("hosts")]
    [InlineData("gpus")]
    public async Task ReadCommand_WithoutCoordinator_SaysHowToFindOne(string command)
    {
        var r = await GpunetProcess.RunAsync(Home(), null, command);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("no coordinator", r.Stderr, StringComparison.Ordinal);
        Assert.Single(r.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task Hosts_CoordinatorDown_IsAOneLineError()
    {
        var r = await GpunetProcess.RunAsync(Home(), new Dictionary<string, string> { ["GPUNET_ADMIN_TOKEN"] = "gpa_x_000000000000000000000" },
            "hosts", "--coordinator", "http://127.0.0.1:9");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("cannot reach the coordinator", r.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "agent", "--coordinator", "http://127.0.0.1:9", "--country", "XX", "--simulate", "H100:8" }, "unknown country code 'XX'")]
    [InlineData(new[] { "agent", "--coordinator", "http://127.0.0.1:9", "--country", "DE", "--simulate", "H1000:8" }, "--simulate H1000:8")]
    [InlineData(new[] { "agent", "--coordinator", "http://127.0.0.1:9", "--simulate", "H100:8" }, "--country: required")]
    [InlineData(new[] { "agent", "--coordinator", "http://127.0.0.1:9", "--country", "DE", "--simulate-actual", "RTX-4090-24GB" }, "--simulate-actual: only with --simulate")]
    [InlineData(new[] { "agent", "--coordinator", "http://127.0.0.1:9", "--country", "DE", "--simulate", "H100:8", "--simulate-actual", "RTX-9999" }, "--simulate-actual RTX-9999: not a GPU model")]
    [InlineData(new[] { "agent", "--coordinator", "http://127.0.0.1:9", "--country", "DE", "--simulate", "H100:8", "--probe-port", "70000" }, "--probe-port")]
    [InlineData(new[] { "agent", "--coordinator", "http://127.0.0.1:9", "--country", "DE", "--simulate", "H100:8", "--lease-ports", "31000-30000" }, "--lease-ports: '31000-30000'")]
    [InlineData(new[] { "agent", "--coordinator", "http://127.0.0.1:9", "--country", "DE", "--simulate", "H100:8", "--lease-ports", "30000-30009", "--docker-ports", "30000-30009" }, "--lease-ports: give it once")]
    [InlineData(new[] { "devnet", "--hosts", "-1" }, "--hosts")]
    public async Task BadFlags_AreRefusedByName(string[] args, string message)
    {
        var r = await GpunetProcess.RunAsync(Home(), null, args);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(message, r.Stdout + r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_RealProgram_PrintsUsage()
    {
        var r = await GpunetProcess.RunAsync(Home(), null, "--help");
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains("USAGE:", r.Stdout, StringComparison.Ordinal);
        Assert.Empty(r.Stderr);
    }

    [Fact]
    public async Task BenchTrace_SmallTrace_ReportsEveryPolicyDefaultFirst()
    {
        var home = Home();
        var nodes = Path.Combine(home, "nodes.csv");
        var pods = Path.Combine(home, "pods.csv");
        await File.WriteAllTextAsync(nodes, "sn,cpu_milli,memory_mib,gpu,model\nn0,64000,262144,8,V100M32\nn1,32000,131072,2,T4\n");
        await File.WriteAllTextAsync(pods, "name,cpu_milli,memory_mib,num_gpu,gpu_milli\np0,4000,8192,1,500\np1,8000,16384,8,1000\np2,2000,4096,1,1000\np3,1000,2048,0,0\n");

        var r = await GpunetProcess.RunAsync(home, null, "bench", "trace", "--nodes", nodes, "--pods", pods, "--policy", "all", "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var json = JsonDocument.Parse(r.Stdout).RootElement;
        var policies = json.GetProperty("policies").EnumerateArray().ToList();
        Assert.Equal(["fgd-mr", "fgd", "best-fit", "random-fit"], policies.Select(p => p.GetProperty("policy").GetString()!).ToArray());
        // By default the FGD policies learn their target online, never from the list replayed, and say so.
        Assert.Equal("online", json.GetProperty("fgdTarget").GetString());
        Assert.StartsWith("online", json.GetProperty("targetWorkload").GetString(), StringComparison.Ordinal);
        foreach (var p in policies)
        {
            Assert.Equal(4, p.GetProperty("placed").GetInt32() + p.GetProperty("failed").GetInt32());
            Assert.InRange(p.GetProperty("gpuDemandPlacedShare").GetDouble(), 0, 1);
            Assert.True(p.TryGetProperty("allocatedShareAtFirstFailure", out _));
            Assert.True(p.GetProperty("placementsPerSecond").GetDouble() > 0);
        }

        // The default keeps the 8-GPU node whole for the 8-GPU pod: everything fits.
        Assert.Equal(0, policies[0].GetProperty("failed").GetInt32());

        // A history file seeds the target; the oracle is there only when asked for, and labelled.
        var history = await GpunetProcess.RunAsync(home, null, "bench", "trace", "--nodes", nodes, "--pods", pods, "--history", pods, "--policy", "fgd-mr", "--json");
        Assert.True(history.ExitCode == 0, history.Stderr);
        Assert.StartsWith("history pods.csv", JsonDocument.Parse(history.Stdout).RootElement.GetProperty("targetWorkload").GetString(), StringComparison.Ordinal);
        var oracle = await GpunetProcess.RunAsync(home, null, "bench", "trace", "--nodes", nodes, "--pods", pods, "--fgd-target", "trace", "--json");
        Assert.True(oracle.ExitCode == 0, oracle.Stderr);
        Assert.StartsWith("ORACLE", JsonDocument.Parse(oracle.Stdout).RootElement.GetProperty("targetWorkload").GetString(), StringComparison.Ordinal);
        var missing = await GpunetProcess.RunAsync(home, null, "bench", "trace", "--nodes", nodes, "--pods", pods, "--history", Path.Combine(home, "none.csv"));
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("--history", missing.Stderr, StringComparison.Ordinal);

        var bad = await GpunetProcess.RunAsync(home, null, "bench", "trace", "--nodes", Path.Combine(home, "missing.csv"), "--pods", pods);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("--nodes", bad.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestStores.Providers), MemberType = typeof(TestStores))]
    public async Task BenchPlacement_SmallCluster_CommitsEveryPlacementWithoutConflicts(string provider)
    {
        var home = Home();
        var db = await TestStores.NewStoreAsync(provider, home);
        var r = await GpunetProcess.RunAsync(home, null, "bench", "placement", "--hosts", "50", "--gpus-per-host", "4", "--policy", "best-fit", "--db", db, "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var json = JsonDocument.Parse(r.Stdout).RootElement;
        Assert.Equal(provider, json.GetProperty("store").GetString());
        Assert.Equal("best-fit", json.GetProperty("policy").GetString());
        Assert.Equal("order-matcher", json.GetProperty("matcher").GetString());
        Assert.Equal("balanced", json.GetProperty("ranking").GetString());
        Assert.Equal(200, json.GetProperty("gpus").GetInt32());
        Assert.Equal(0, json.GetProperty("conflicts").GetInt32());
        // 3 whole GPUs and a half in every 4 requests until 90% of 200 GPUs are given: 206 placements.
        Assert.Equal(206, json.GetProperty("placements").GetInt32());
        Assert.True(json.GetProperty("placementsPerSecond").GetDouble() > 0);
        Assert.True(json.GetProperty("decisionP99Ms").GetDouble() >= json.GetProperty("decisionP50Ms").GetDouble());
    }

    [Theory]
    [MemberData(nameof(TestStores.Providers), MemberType = typeof(TestStores))]
    public async Task BenchLedger_SmallRun_WritesEveryTransferAndTheStoreBalances(string provider)
    {
        var home = Home();
        var db = await TestStores.NewStoreAsync(provider, home);
        var r = await GpunetProcess.RunAsync(home, null, "bench", "ledger", "--accounts", "200", "--transfers", "5000", "--batch", "1000", "--hosts", "40",
            "--pgbench-seconds", "1", "--db", db, "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var json = JsonDocument.Parse(r.Stdout).RootElement;
        Assert.Equal(provider, json.GetProperty("store").GetString());
        Assert.Equal(0, json.GetProperty("refused").GetInt32());
        Assert.True(json.GetProperty("balanced").GetBoolean());
        Assert.Equal("42000000000", json.GetProperty("totalSupply").GetString());
        Assert.Equal("42000000000", json.GetProperty("sumOfBalances").GetString());
        Assert.True(json.GetProperty("transfersPerSecond").GetDouble() > 0);
        // The epoch settlement of 40 staked hosts, 20 of them serving a metered lease: settled once, by the bench, balanced.
        Assert.Equal(40, json.GetProperty("settlementHosts").GetInt32());
        Assert.True(json.GetProperty("settlementTransfers").GetInt32() > 40);
        Assert.True(json.GetProperty("settledOnce").GetBoolean());
        Assert.True(json.GetProperty("settlementBalanced").GetBoolean());
        Assert.True(json.GetProperty("settlementSeconds").GetDouble() > 0);
        if (provider == "sqlite")
            Assert.Equal(JsonValueKind.Null, json.GetProperty("pgbenchTps").ValueKind);

        // A shared store is left as it was: the run's rows are removed.
        if (provider == "postgres")
        {
            var again = await GpunetProcess.RunAsync(home, null, "bench", "ledger", "--accounts", "50", "--transfers", "100", "--skip-settlement", "--pgbench-seconds", "0", "--db", db, "--json");
            Assert.True(again.ExitCode == 0, again.Stderr);
        }
    }
}
