using System.Text.Json;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Cli;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.WebConsole;

/// <summary><c>gpunet hosts earnings</c> and <c>gpunet wallet balance</c>'s schedules as a host operator runs them: the
/// real program against a coordinator that settled real epochs (on the fake clock).</summary>
public sealed class HostOperatorCliTests
{
    [Fact]
    public async Task HostsEarnings_PrintsWhatEachEpochPaidTheHost_OnlyToItsOperator_AndWalletBalanceItsSchedules()
    {
        await using var c = await Services.Ledger.Settlement.StartAsync();
        var (agent, operatorHttp, api) = await HostOperatorSetup.EarningHostAsync(c, "cli-earner");
        await using var _ = agent;
        using var __ = operatorHttp;
        var (home, env) = await KeyFileAsync(c, agent.Wallet);

        var json = await GpunetProcess.RunAsync(home, env, "hosts", "earnings", agent.HostId, "--limit", "1", "--json");
        Assert.True(json.ExitCode == 0, json.Stderr);
        var row = Assert.Single(JsonDocument.Parse(json.Stdout).RootElement.EnumerateArray());
        Assert.Equal((api[0].Epoch, api[0].Earned), (row.GetProperty("epoch").GetInt64(), row.GetProperty("earned").GetString()));

        var table = await GpunetProcess.RunAsync(home, env, "hosts", "earnings", agent.HostId);
        Assert.True(table.ExitCode == 0, table.Stderr);
        Assert.True(table.Stdout.Contains(api[^1].Capacity, StringComparison.Ordinal), table.Stdout);

        var balance = await GpunetProcess.RunAsync(home, env, "wallet", "balance", "--json");
        Assert.True(balance.ExitCode == 0, balance.Stderr);
        var wallet = JsonDocument.Parse(balance.Stdout).RootElement;
        var entry = Assert.Single(wallet.GetProperty("unbondingSchedule").EnumerateArray());
        Assert.Equal((agent.HostId, "100"), (entry.GetProperty("host").GetString(), entry.GetProperty("amount").GetString()));
        Assert.Equal(api.Count, wallet.GetProperty("vestingSchedule").GetArrayLength());
        var printed = await GpunetProcess.RunAsync(home, env, "wallet", "balance");
        Assert.True(printed.ExitCode == 0, printed.Stderr);
        Assert.Contains("available at", printed.Stdout, StringComparison.Ordinal);
        Assert.Contains("fully vested at", printed.Stdout, StringComparison.Ordinal);
        // `gpunet wallet` alone is the balance.
        var bare = await GpunetProcess.RunAsync(home, env, "wallet", "--json");
        Assert.True(bare.ExitCode == 0, bare.Stderr);
        Assert.Equal(wallet.GetProperty("available").GetString(), JsonDocument.Parse(bare.Stdout).RootElement.GetProperty("available").GetString());

        // Someone else's key: no such host of theirs. A bad limit is refused before any call.
        var (otherHome, otherEnv) = await KeyFileAsync(c, Wallet.Create());
        var other = await GpunetProcess.RunAsync(otherHome, otherEnv, "hosts", "earnings", agent.HostId);
        Assert.NotEqual(0, other.ExitCode);
        Assert.Contains($"no host {agent.HostId} of yours", other.Stderr, StringComparison.Ordinal);
        var zero = await GpunetProcess.RunAsync(home, env, "hosts", "earnings", agent.HostId, "--limit", "0");
        Assert.NotEqual(0, zero.ExitCode);
        Assert.Contains("--limit", zero.Stderr, StringComparison.Ordinal);
    }

    private static async Task<(string Home, Dictionary<string, string> Env)> KeyFileAsync(TestCoordinator c, Wallet wallet)
    {
        var home = Directory.CreateTempSubdirectory("gpunet-home-").FullName;
        var key = Path.Combine(home, "me.key");
        await File.WriteAllTextAsync(key, wallet.PrivateKeyHex + "\n");
        return (home, new Dictionary<string, string> { ["GPUNET_COORDINATOR"] = c.ApiUrl, ["GPUNET_KEY"] = key });
    }
}
