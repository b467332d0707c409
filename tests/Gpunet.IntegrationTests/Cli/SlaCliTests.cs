using System.Text.Json;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Cli;

/// <summary><c>gpunet sla tiers</c> and <c>gpunet rent --sla</c> as child processes against a real coordinator.</summary>
public sealed class SlaCliTests
{
    [Fact]
    public async Task SlaTiersAndRentSla_AsTheOperator()
    {
        await using var c = await TestCoordinator.StartAsync();
        var home = Directory.CreateTempSubdirectory("gpunet-home-").FullName;
        var env = new Dictionary<string, string> { ["GPUNET_ADMIN_TOKEN"] = c.AdminToken };

        var json = await GpunetProcess.RunAsync(home, env, "sla", "tiers", "--json", "--coordinator", c.ApiUrl);
        Assert.True(json.ExitCode == 0, json.Stderr);
        var tiers = JsonDocument.Parse(json.Stdout).RootElement.EnumerateArray().ToList();
        Assert.Equal(["standard", "business", "premium", "enterprise"], tiers.Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(99.9m, tiers[^1].GetProperty("availabilityPercent").GetDecimal());

        // 80 columns (output redirected): a credit step and a requirement a line, none wrapped.
        var table = await GpunetProcess.RunAsync(home, env, "sla", "tiers", "--coordinator", c.ApiUrl);
        Assert.True(table.ExitCode == 0, table.Stderr);
        string[] cells = ["│ enterprise │ 99.9 %", "< 99.5 %: 30 %", "late: 50 %", "uptime ≥ 99.9 %", "checks ≥ 99 %", "leases ≥ 98 %"];
        Assert.True(cells.All(cell => table.Stdout.Contains(cell, StringComparison.Ordinal)), table.Stdout);

        // No host yet: the order waits, with its tier.
        var rent = await GpunetProcess.RunAsync(home, env,
            "rent", "--gpu", "H100", "--max-price", "3", "--sla", "enterprise", "--json", "--coordinator", c.ApiUrl, "--", "true");
        Assert.True(rent.ExitCode == 0, rent.Stderr);
        var lease = JsonDocument.Parse(rent.Stdout).RootElement.GetProperty("leases")[0];
        Assert.Equal("enterprise", lease.GetProperty("slaTier").GetString());
    }
}
