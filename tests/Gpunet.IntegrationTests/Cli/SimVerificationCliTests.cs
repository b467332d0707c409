using System.Text.Json;

namespace Gpunet.IntegrationTests.Cli;

/// <summary><c>gpunet sim</c> (verification) as a user runs it: the figures the issue asks for in JSON, the same seed
/// giving the same figures, and a clear refusal of bad flags.</summary>
public sealed class SimVerificationCliTests
{
    private static string Home() => Directory.CreateTempSubdirectory("gpunet-home-").FullName;

    private static readonly string[] Small = ["sim", "--hosts", "12", "--checkers", "6", "--days", "0.05", "--seed", "3", "--json"];

    [Fact]
    public async Task Sim_Json_PrintsTheIssuesFigures_AndTheSameSeedGivesTheSameFigures()
    {
        var first = await GpunetProcess.RunAsync(Home(), null, Small);
        var second = await GpunetProcess.RunAsync(Home(), null, Small);

        Assert.Equal(0, first.ExitCode);
        var json = JsonDocument.Parse(first.Stdout).RootElement;
        foreach (var field in new[] { "detectionRate", "meanHoursToDetection", "falseAccusationRate", "locationSpoofersCaught", "lazyCheckersCaught", "failingCheckersCaught", "honestCheckersHeldBack", "checksRun", "weakerCardFirstCheckDetectionRate", "weakerCardBeyondBandFirstCheckDetectionRate", "weakerCardsBeyondCardBand", "weakerCardsWithinCardBand", "spoofersByDistance" })
            Assert.True(json.TryGetProperty(field, out _), $"no {field} in {first.Stdout}");
        Assert.True(json.GetProperty("checksRun").GetProperty("liveness").GetInt64() > 0);
        Assert.StartsWith("gpunet sim --hosts 12 --checkers 6", json.GetProperty("replay").GetString(), StringComparison.Ordinal);
        var again = JsonDocument.Parse(second.Stdout).RootElement;
        Assert.Equal(Without(json, "seconds"), Without(again, "seconds"));
    }

    [Theory]
    [InlineData("--cheaters", "2", "--cheaters must be a share from 0 to 1")]
    [InlineData("--checkers", "2", "--checkers must be 3 to 500")]
    [InlineData("--cheat-mix", "faster-card", "unknown cheat 'faster-card'")]
    [InlineData("--days", "soon", "soon")]
    [InlineData("--compute-seconds", "0", "--compute-seconds must be 0.1 to 600, not 0")]
    [InlineData("--failing-checkers", "1.5", "--failing-checkers must be a share from 0 to 1")]
    public async Task Sim_BadFlag_IsRefusedWithTheReason(string flag, string value, string reason)
    {
        var r = await GpunetProcess.RunAsync(Home(), null, "sim", flag, value);

        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(reason, r.Stderr + r.Stdout, StringComparison.Ordinal);
    }

    private static string Without(JsonElement json, string name) =>
        JsonSerializer.Serialize(json.EnumerateObject().Where(p => p.Name != name).ToDictionary(p => p.Name, p => p.Value));
}
