using System.Text.Json;
using Gpunet.IntegrationTests.Services;

namespace Gpunet.IntegrationTests.Cli;

public sealed class MaintenanceCliTests
{
    [Fact]
    public async Task HostsMaintenance_DeclareListAndWithdraw_AsTheHostsOperator()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        await using var host = await c.ReadyHostAsync("cli-maint");
        var home = Directory.CreateTempSubdirectory("gpunet-home-").FullName;
        var key = Path.Combine(home, "operator.key");
        await File.WriteAllTextAsync(key, host.Wallet.PrivateKeyHex);
        string[] me = ["--coordinator", c.ApiUrl, "--key", key];
        var now = c.Clock().GetUtcNow();
        // On a whole minute: the command is given minutes only.
        var from = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddDays(2);

        var declared = await GpunetProcess.RunAsync(home, null,
            ["hosts", "maintenance", host.HostId, "--from", from.ToString("yyyy-MM-ddTHH:mmZ", System.Globalization.CultureInfo.InvariantCulture),
             "--to", from.AddHours(3).ToString("O", System.Globalization.CultureInfo.InvariantCulture), "--reason", "PSU swap", "--json", .. me]);
        Assert.True(declared.ExitCode == 0, declared.Stderr);
        var window = JsonDocument.Parse(declared.Stdout).RootElement;
        var id = window.GetProperty("id").GetInt64();
        Assert.Equal(from, window.GetProperty("from").GetDateTimeOffset());
        Assert.Equal("PSU swap", window.GetProperty("reason").GetString());

        var list = await GpunetProcess.RunAsync(home, null, ["hosts", "maintenance", host.HostId, .. me]);
        Assert.True(list.ExitCode == 0, list.Stderr);
        Assert.Contains("PSU swap", list.Stdout, StringComparison.Ordinal);
        Assert.Contains(from.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), list.Stdout, StringComparison.Ordinal);

        var withdrawn = await GpunetProcess.RunAsync(home, null, ["hosts", "maintenance", host.HostId, "--cancel", $"{id}", "--json", .. me]);
        Assert.True(withdrawn.ExitCode == 0, withdrawn.Stderr);
        Assert.Equal(JsonValueKind.String, JsonDocument.Parse(withdrawn.Stdout).RootElement.GetProperty("cancelledAt").ValueKind);
    }
}
