using System.Text.Json;

namespace Gpunet.IntegrationTests.Cli;

/// <summary><c>gpunet sim chaos</c> as a user runs it: a JSON verdict that replays by seed, and a clear refusal of bad
/// options.</summary>
public sealed class SimChaosCliTests
{
    private static string Home() => Directory.CreateTempSubdirectory("gpunet-home-").FullName;

    [Fact]
    public async Task SimChaos_Json_SaysEveryInvariantHeld_AndTheSameSeedGivesTheSameRun()
    {
        var first = await GpunetProcess.RunAsync(Home(), null, "sim", "chaos", "--seed", "42", "--steps", "20000", "--json");
        var second = await GpunetProcess.RunAsync(Home(), null, "sim", "chaos", "--seed", "42", "--steps", "20000", "--json");

        Assert.Equal(0, first.ExitCode);
        var json = JsonDocument.Parse(first.Stdout).RootElement;
        Assert.True(json.GetProperty("passed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("violation").ValueKind);
        Assert.Equal(20_000, json.GetProperty("steps").GetInt64());
        Assert.True(json.GetProperty("counters").GetProperty("usageAccepted").GetInt64() > 0);
        var again = JsonDocument.Parse(second.Stdout).RootElement;
        Assert.Equal(json.GetProperty("counters").GetRawText(), again.GetProperty("counters").GetRawText());
        Assert.Equal(json.GetProperty("simulatedSeconds").GetDouble(), again.GetProperty("simulatedSeconds").GetDouble());
    }

    [Theory]
    [InlineData("--steps", "0", "steps must be at least 1")]
    [InlineData("--hosts", "1", "hosts must be 2 to 1000")]
    [InlineData("--steps", "many", "many")]
    public async Task SimChaos_BadOption_IsRefusedWithTheReason(string option, string value, string reason)
    {
        var r = await GpunetProcess.RunAsync(Home(), null, "sim", "chaos", option, value);

        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(reason, r.Stderr + r.Stdout, StringComparison.Ordinal);
    }
}
