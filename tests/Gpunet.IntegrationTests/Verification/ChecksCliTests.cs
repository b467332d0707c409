using System.Text.Json;
using Gpunet.Core.Verification;
using Gpunet.IntegrationTests.Cli;
using Gpunet.IntegrationTests.Services;
using Gpunet.IntegrationTests.Services.Verification;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Verification;

/// <summary><c>gpunet checks</c> as a real process: the list and one check with its reports, in a table and as JSON,
/// and bad input refused naming the flag.</summary>
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
        foreach (var (k, a) in assigned)
            Assert.True((await k.SendAsync(k.Report(a, passed: k != checkers[0], reason: k == checkers[0] ? "no answer" : "5 pings"))).Accepted);
        var id = assigned.Values.First().CheckId;

        var home = Directory.CreateTempSubdirectory("gpunet-home-").FullName;
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
