using System.Text.Json;
using Gpunet.Core.Verification;
using Gpunet.IntegrationTests.Cli;
using Gpunet.IntegrationTests.Services;
using Gpunet.IntegrationTests.Services.Verification;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Verification;

/// <summary><c>gpunet checks</c> as a real process: the list and one check with its reports, in a table and as JSON
/// (sealed to a checker while it is being decided), and bad input refused naming the flag.</summary>
public sealed class ChecksCliTests
{
    [Fact]
    public async Task ChecksOfAHost_ListedAndShownWithTheirReports_BadInputRefusedByName()
    {
        await using var c = await CheckFlowTests.StartAsync();
        var clock = c.Clock();
        var checkers = await CheckFlowTests.CheckersAsync(c, 3);
        await using var host = await FakeAgent.ConnectAsync(c, "cli", probeEndpoint: "http://127.0.0.1:9");
        await clock.AdvanceAsync(2 * SteppedClock.Step);
        var assigned = await CheckFlowTests.AssignedAsync(checkers, CheckKind.Liveness);
        var id = assigned.Values.First().CheckId;
        var home = Directory.CreateTempSubdirectory("gpunet-home-").FullName;

        // Two of three reported: to a checker on the panel the check is sealed, in the list and on its own.
        foreach (var (k, a) in assigned.Take(2))
            Assert.True((await k.SendAsync(k.Report(a, passed: k != checkers[0], reason: k == checkers[0] ? "no answer" : "5 pings"))).Accepted);
        var key = Path.Combine(home, "checker.key");
        await File.WriteAllTextAsync(key, checkers[2].Wallet.PrivateKeyHex);
        var sealedList = await GpunetProcess.RunAsync(home, null, "checks", "--host", host.HostId, "--kind", "liveness", "--coordinator", c.ApiUrl, "--key", key, "--json");
        Assert.True(sealedList.ExitCode == 0, sealedList.Stderr);
        var pending = Assert.Single(JsonDocument.Parse(sealedList.Stdout).RootElement.EnumerateArray());
        Assert.Equal(("pending", 0), (pending.GetProperty("outcome").GetString(), pending.GetProperty("reports").GetArrayLength()));
        var sealedOne = await GpunetProcess.RunAsync(home, null, "checks", id, "--coordinator", c.ApiUrl, "--key", key);
        Assert.True(sealedOne.ExitCode == 0, sealedOne.Stderr);
        Assert.Contains("sealed until the check is decided", sealedOne.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("5 pings", sealedOne.Stdout, StringComparison.Ordinal);
        foreach (var (k, a) in assigned.Skip(2))
            Assert.True((await k.SendAsync(k.Report(a, passed: true, reason: "5 pings"))).Accepted);

        var env = new Dictionary<string, string> { ["GPUNET_ADMIN_TOKEN"] = c.AdminToken, ["GPUNET_COORDINATOR"] = c.ApiUrl };
        var list = await GpunetProcess.RunAsync(home, env, "checks", "--host", host.HostId, "--kind", "liveness", "--json");
        Assert.True(list.ExitCode == 0, list.Stderr);
        var check = Assert.Single(JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray());
        Assert.Equal((id, "passed"), (check.GetProperty("id").GetString(), check.GetProperty("outcome").GetString()));

        var shown = await GpunetProcess.RunAsync(home, env, "checks", id);
        Assert.True(shown.ExitCode == 0, shown.Stderr);
        Assert.Contains("liveness check of " + host.HostId, shown.Stdout, StringComparison.Ordinal);
        // The one that could not reach the host disagreed honestly (reachability is per path): excused, not marked.
        Assert.Contains("excused", shown.Stdout, StringComparison.Ordinal);

        var badKind = await GpunetProcess.RunAsync(home, env, "checks", "--kind", "speed");
        Assert.NotEqual(0, badKind.ExitCode);
        Assert.Contains("--kind", badKind.Stderr, StringComparison.Ordinal);
        var badId = await GpunetProcess.RunAsync(home, env, "checks", "chk_nope");
        Assert.NotEqual(0, badId.ExitCode);
        Assert.Contains("id", badId.Stderr, StringComparison.Ordinal);
        foreach (var k in checkers)
            await k.DisposeAsync();
    }
}
