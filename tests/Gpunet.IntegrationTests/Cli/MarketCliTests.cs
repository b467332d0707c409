using System.Net.Http.Json;
using System.Text.Json;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Cli;

/// <summary><c>gpunet rent|leases|logs|cancel</c> as child processes against a real coordinator and agent.</summary>
public sealed class MarketCliTests
{
    [Fact]
    public async Task RentLeasesLogsCancel_AsACustomer()
    {
        await using var c = await TestCoordinator.StartAsync();
        await using var agent = TestAgent.Start(c.ApiUrl, "H100-SXM5-80GB:8", "DE");
        var host = await agent.HostIdAsync();
        await c.WaitForStateAsync(host, "Ready");
        var home = Directory.CreateTempSubdirectory("gpunet-home-").FullName;
        var key = Path.Combine(home, "customer.key");
        Assert.Equal(0, (await GpunetProcess.RunAsync(home, null, "keys", "new", "--out", key)).ExitCode);
        string[] me = ["--coordinator", c.ApiUrl, "--key", key];
        var balance = await GpunetProcess.RunAsync(home, null, ["wallet", "balance", "--json", .. me]);
        var address = JsonDocument.Parse(balance.Stdout).RootElement.GetProperty("address").GetString()!;

        // Orders take escrow: without funds the CLI says so, and nothing is ordered.
        var broke = await GpunetProcess.RunAsync(home, null, ["rent", "--gpu", "H100", "--max-price", "3", .. me, "--", "true"]);
        Assert.NotEqual(0, broke.ExitCode);
        Assert.Contains("insufficient funds", broke.Stderr, StringComparison.Ordinal);
        Assert.Empty((await c.Admin.GetFromJsonAsync<JsonElement>("/api/v1/leases")).EnumerateArray());
        (await c.Admin.PostAsJsonAsync("/api/v1/wallet/deposit", new { amount = "10000", to = address })).EnsureSuccessStatusCode();

        var rent = await GpunetProcess.RunAsync(home, null,
            ["rent", "--gpu", "H100", "--count", "2", "--max-price", "3", "--wait", "--json", .. me, "--", "sh", "-c", "echo hello from $GPUNET_GPU_INDICES"]);
        Assert.True(rent.ExitCode == 0, rent.Stderr);
        var order = JsonDocument.Parse(rent.Stdout).RootElement;
        var id = order.GetProperty("leaseId").GetString()!;
        Assert.Contains(order.GetProperty("state").GetString(), new[] { "Running", "Succeeded" });

        var done = await Eventually.Async(async () =>
        {
            var r = await GpunetProcess.RunAsync(home, null, ["leases", "--json", .. me]);
            Assert.True(r.ExitCode == 0, r.Stderr);
            return JsonDocument.Parse(r.Stdout).RootElement.EnumerateArray().Single(l => l.GetProperty("id").GetString() == id);
        }, l => l.GetProperty("state").GetString() == "Succeeded", "the lease to succeed");
        Assert.Equal("completed", done.GetProperty("endReason").GetString());
        Assert.Equal(host, done.GetProperty("hostId").GetString());
        var gpus = string.Join(',', done.GetProperty("gpuIndices").EnumerateArray().Select(g => g.GetInt32()));
        Assert.Equal(2, done.GetProperty("gpuIndices").GetArrayLength());

        var logs = await GpunetProcess.RunAsync(home, null, ["logs", id, "--follow", .. me]);
        Assert.True(logs.ExitCode == 0, logs.Stderr);
        Assert.Equal($"hello from {gpus}", logs.Stdout.Trim());

        var sleeper = await GpunetProcess.RunAsync(home, null, ["rent", "--gpu", "H100", "--max-price", "3", "--json", .. me, "--", "sleep", "60"]);
        Assert.True(sleeper.ExitCode == 0, sleeper.Stderr);
        var sleeperId = JsonDocument.Parse(sleeper.Stdout).RootElement.GetProperty("leaseId").GetString()!;
        var cancel = await GpunetProcess.RunAsync(home, null, ["cancel", sleeperId, "--json", .. me]);
        Assert.True(cancel.ExitCode == 0, cancel.Stderr);
        Assert.Equal("Cancelled", JsonDocument.Parse(cancel.Stdout).RootElement.GetProperty("state").GetString());

        var table = await GpunetProcess.RunAsync(home, null, ["leases", .. me]);
        Assert.True(table.ExitCode == 0, table.Stderr);
        Assert.Contains(sleeperId, table.Stdout, StringComparison.Ordinal);

        var show = await GpunetProcess.RunAsync(home, null, ["leases", "show", sleeperId, "--json", .. me]);
        Assert.True(show.ExitCode == 0, show.Stderr);
        var history = JsonDocument.Parse(show.Stdout).RootElement.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("state").GetString()).ToList();
        Assert.Equal("Pending", history[0]);
        Assert.Equal("Cancelled", history[^1]);
        var shown = await GpunetProcess.RunAsync(home, null, ["leases", "show", sleeperId, .. me]);
        Assert.True(shown.ExitCode == 0, shown.Stderr);
        Assert.Contains("cancelled by the customer", shown.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rent_WithBadInput_SaysWhichFieldAndFails()
    {
        await using var c = await TestCoordinator.StartAsync();
        var home = Directory.CreateTempSubdirectory("gpunet-home-").FullName;
        var env = new Dictionary<string, string> { ["GPUNET_ADMIN_TOKEN"] = c.AdminToken };

        var noCommand = await GpunetProcess.RunAsync(home, env, "rent", "--gpu", "H100", "--max-price", "3", "--coordinator", c.ApiUrl);
        Assert.Equal(1, noCommand.ExitCode);
        Assert.Contains("command: a command to run is required", noCommand.Stderr, StringComparison.Ordinal);
        Assert.Contains("(400)", noCommand.Stderr, StringComparison.Ordinal);

        var noPrice = await GpunetProcess.RunAsync(home, env, "rent", "--gpu", "H100", "--coordinator", c.ApiUrl, "--", "true");
        Assert.Equal(1, noPrice.ExitCode);
        Assert.Contains("--max-price", noPrice.Stderr, StringComparison.Ordinal);

        var badModel = await GpunetProcess.RunAsync(home, env, "rent", "--gpu", "H900", "--max-price", "3", "--coordinator", c.ApiUrl, "--", "true");
        Assert.Equal(1, badModel.ExitCode);
        Assert.Contains("gpu: unknown GPU model 'H900'", badModel.Stderr, StringComparison.Ordinal);

        var unknownLease = await GpunetProcess.RunAsync(home, env, "cancel", "lease-0123456789ab", "--coordinator", c.ApiUrl);
        Assert.Equal(1, unknownLease.ExitCode);
        Assert.Contains("no lease lease-0123456789ab (404)", unknownLease.Stderr, StringComparison.Ordinal);
        Assert.Empty(await c.Admin.GetFromJsonAsync<List<JsonElement>>("/api/v1/leases") ?? []);
    }
}
