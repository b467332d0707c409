using System.Text.Json;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Cli;

/// <summary><c>gpunet wallet balance|deposit|history|withdraw</c> and <c>gpunet ledger verify</c> as child processes
/// against a real coordinator.</summary>
public sealed class WalletCliTests
{
    [Fact]
    public async Task DepositBalanceHistoryVerify_AsOperatorAndCustomer()
    {
        await using var c = await TestCoordinator.StartAsync(configure: o => o.Compliance.ApproveAllKyc = false);
        var home = Directory.CreateTempSubdirectory("gpunet-home-").FullName;
        var wallet = Wallet.Create();
        var key = Path.Combine(home, "customer.key");
        await File.WriteAllTextAsync(key, wallet.PrivateKeyHex + "\n");
        string[] me = ["--coordinator", c.ApiUrl, "--key", key];
        var admin = new Dictionary<string, string> { ["GPUNET_ADMIN_TOKEN"] = c.AdminToken };

        var deposit = await GpunetProcess.RunAsync(home, admin, "wallet", "deposit", "10", "--to", wallet.Address.Value, "--json", "--coordinator", c.ApiUrl);
        Assert.True(deposit.ExitCode == 0, deposit.Stderr);
        var done = JsonDocument.Parse(deposit.Stdout).RootElement;
        Assert.Equal("deposit", done.GetProperty("code").GetString());
        Assert.Equal("10", done.GetProperty("amount").GetString());
        Assert.Equal($"participant:{wallet.Address.Value}:available", done.GetProperty("to").GetString());

        // What a person types and the core reads (.5) goes to the API in the API's form (0.5), which alone it takes.
        var half = await GpunetProcess.RunAsync(home, admin, "wallet", "deposit", ".5", "--to", Wallet.Create().Address.Value, "--json", "--coordinator", c.ApiUrl);
        Assert.True(half.ExitCode == 0, half.Stderr);
        Assert.Equal("0.5", JsonDocument.Parse(half.Stdout).RootElement.GetProperty("amount").GetString());

        var balance = await GpunetProcess.RunAsync(home, null, ["wallet", "balance", "--json", .. me]);
        Assert.True(balance.ExitCode == 0, balance.Stderr);
        var view = JsonDocument.Parse(balance.Stdout).RootElement;
        Assert.Equal(wallet.Address.Value, view.GetProperty("address").GetString());
        Assert.Equal("10", view.GetProperty("available").GetString());
        Assert.Equal("0", view.GetProperty("staked").GetString());

        var table = await GpunetProcess.RunAsync(home, null, ["wallet", "balance", .. me]);
        Assert.True(table.ExitCode == 0, table.Stderr);
        Assert.Contains(wallet.Address.Value, table.Stdout, StringComparison.Ordinal);

        var history = await GpunetProcess.RunAsync(home, null, ["wallet", "history", "--json", .. me]);
        Assert.True(history.ExitCode == 0, history.Stderr);
        var entry = Assert.Single(JsonDocument.Parse(history.Stdout).RootElement.EnumerateArray());
        Assert.Equal("deposit", entry.GetProperty("code").GetString());
        Assert.Equal("in", entry.GetProperty("direction").GetString());
        Assert.Equal("10", entry.GetProperty("amount").GetString());
        Assert.Equal(done.GetProperty("id").GetString(), entry.GetProperty("id").GetString());

        // Withdrawing needs KYC, which nobody has on this network: refused with the reason, nothing moved.
        var withdraw = await GpunetProcess.RunAsync(home, null, ["wallet", "withdraw", "5", .. me]);
        Assert.NotEqual(0, withdraw.ExitCode);
        Assert.Contains("KYC", withdraw.Stderr + withdraw.Stdout, StringComparison.Ordinal);

        var verify = await GpunetProcess.RunAsync(home, admin, "ledger", "verify", "--json", "--coordinator", c.ApiUrl);
        Assert.True(verify.ExitCode == 0, verify.Stderr);
        var audit = JsonDocument.Parse(verify.Stdout).RootElement;
        Assert.True(audit.GetProperty("balanced").GetBoolean());
        Assert.Equal("42000000000", audit.GetProperty("totalSupply").GetString());
        Assert.Equal("42000000000", audit.GetProperty("sumOfBalances").GetString());

        var after = await GpunetProcess.RunAsync(home, null, ["wallet", "balance", "--json", .. me]);
        Assert.Equal("10", JsonDocument.Parse(after.Stdout).RootElement.GetProperty("available").GetString());
    }

    [Fact]
    public async Task Deposit_RetriedWithTheSameId_SaysSoAndMovesMoneyOnce()
    {
        await using var c = await TestCoordinator.StartAsync();
        var home = Directory.CreateTempSubdirectory("gpunet-home-").FullName;
        var to = Wallet.Create().Address.Value;
        var admin = new Dictionary<string, string> { ["GPUNET_ADMIN_TOKEN"] = c.AdminToken };
        string[] deposit = ["wallet", "deposit", "2.5", "--to", to, "--id", "0123456789abcdef0123456789abcdef", "--coordinator", c.ApiUrl];

        var first = await GpunetProcess.RunAsync(home, admin, deposit);
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.DoesNotContain("already done", first.Stdout, StringComparison.Ordinal);
        var again = await GpunetProcess.RunAsync(home, admin, deposit);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains("already done", again.Stdout, StringComparison.Ordinal);

        var balance = await GpunetProcess.RunAsync(home, admin, "wallet", "balance", "--address", to, "--json", "--coordinator", c.ApiUrl);
        Assert.True(balance.ExitCode == 0, balance.Stderr);
        Assert.Equal("2.5", JsonDocument.Parse(balance.Stdout).RootElement.GetProperty("available").GetString());
    }
}
