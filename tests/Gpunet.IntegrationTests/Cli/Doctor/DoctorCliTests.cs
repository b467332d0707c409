using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Cli.Doctor;

/// <summary>The real <c>gpunet doctor</c> on this machine, against a real coordinator.</summary>
public sealed class DoctorCliTests
{
    private static string Home() => Directory.CreateTempSubdirectory("gpunet-home-").FullName;

    [Fact]
    public async Task Doctor_ProbePortTaken_JsonNamesEveryCheckAndExitsOne()
    {
        await using var c = await TestCoordinator.StartAsync();
        // Held on every address, as another program's server would hold it.
        using var taken = new TcpListener(IPAddress.Any, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var r = await GpunetProcess.RunAsync(Home(), null, "doctor", "--coordinator", c.ApiUrl, "--probe-port", $"{port}", "--json");

        Assert.True(r.ExitCode == 1, r.Stdout + r.Stderr);
        var json = JsonDocument.Parse(r.Stdout).RootElement;
        Assert.False(json.GetProperty("ok").GetBoolean());
        var checks = json.GetProperty("checks").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        Assert.Equal(["gpu", "coordinator", "clock", "probe-port", "lease-ports", "disk", "docker", "sandbox"], checks.Keys);
        foreach (var (name, check) in checks)
        {
            var status = check.GetProperty("status").GetString();
            Assert.Contains(status, new[] { "ok", "warn", "fail" });
            // Every warning and failure says what to do; a check that passed has nothing to fix.
            Assert.True((status == "ok") == (check.GetProperty("fix").ValueKind == JsonValueKind.Null), $"{name}: {check}");
        }

        Assert.Equal("fail", checks["probe-port"].GetProperty("status").GetString());
        Assert.Contains($"port {port} is in use", checks["probe-port"].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("ok", checks["coordinator"].GetProperty("status").GetString());
        Assert.Contains(c.AgentUrl, checks["coordinator"].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("ok", checks["clock"].GetProperty("status").GetString()); // the same machine's clock
    }

    [Fact]
    public async Task Doctor_Table_ExitCodeFollowsTheFailures()
    {
        var r = await GpunetProcess.RunAsync(Home(), null, "doctor", "--json");
        var json = JsonDocument.Parse(r.Stdout).RootElement;
        var failed = json.GetProperty("checks").EnumerateArray().Any(c => c.GetProperty("status").GetString() == "fail");
        Assert.Equal(failed ? 1 : 0, r.ExitCode);
        Assert.Equal(!failed, json.GetProperty("ok").GetBoolean());

        var table = await GpunetProcess.RunAsync(Home(), null, "doctor");
        Assert.Equal(r.ExitCode, table.ExitCode);
        Assert.Contains("lease-ports", table.Stdout, StringComparison.Ordinal);
        Assert.Contains(failed ? "cannot join from this host until the failures are fixed" : "this host can join", table.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--lease-ports", "5-1", "--lease-ports")]
    [InlineData("--probe-port", "70000", "--probe-port")]
    [InlineData("--coordinator", "ftp://x", "--coordinator")]
    public async Task Doctor_BadFlag_RefusedNamingIt(string flag, string value, string named)
    {
        var r = await GpunetProcess.RunAsync(Home(), null, "doctor", flag, value);

        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(named, r.Stderr, StringComparison.Ordinal);
    }
}
