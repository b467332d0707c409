using System.Text.Json;
using Gpunet.IntegrationTests.Cli;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Checker;

/// <summary><c>gpunet checker</c> as a user runs it: its flags, its key, and a clean stop.</summary>
public sealed class CheckerCliTests
{
    [Theory]
    [InlineData(new[] { "--lat", "91", "--lon", "8" }, "--lat: latitude within -90 … 90")]
    [InlineData(new[] { "--lat", "50", "--lon", "-181" }, "--lon: longitude within -180 … 180")]
    [InlineData(new[] { "--lat", "50" }, "--lat/--lon: give both or neither")]
    [InlineData(new[] { "--country", "XX" }, "--country: unknown country code 'XX'")]
    public async Task Checker_BadFlags_AreRefusedByName(string[] flags, string message)
    {
        var r = await GpunetProcess.RunAsync(Home(), null, ["checker", "--coordinator", "http://127.0.0.1:9", .. flags]);

        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(message, r.Stdout + r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // owner-only key files and SIGTERM are POSIX's
    public async Task Checker_FirstRun_CreatesAndPrintsItsKey_StopsCleanlyOnSigterm()
    {
        var home = Home();
        var (p, stdout, stderr) = GpunetProcess.Start(home, "checker", "--coordinator", "http://127.0.0.1:9", "--lat", "50.11", "--lon", "8.68",
            "--country", "de", "--json");
        using var process = p;
        try
        {
            var started = await Eventually.Async(() => Task.FromResult<string?>(Text(stdout)), s => s.Contains("\"started\"", StringComparison.Ordinal),
                "the started line");
            var line = JsonDocument.Parse(started.Split('\n').First(l => l.Contains("\"started\"", StringComparison.Ordinal))).RootElement;
            var keyFile = Path.Combine(home, "checker.key");
            Assert.Equal(keyFile, line.GetProperty("keyFile").GetString());
            Assert.True(line.GetProperty("keyCreated").GetBoolean());
            Assert.Equal("DE", line.GetProperty("country").GetString());
            Assert.StartsWith("0x", line.GetProperty("address").GetString(), StringComparison.Ordinal);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }
        finally
        {
            if (!p.HasExited) // ended early: the try's failure says why, and its id is no longer its own
                Signals.Send(p, Signals.Term);
        }

        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await p.WaitForExitAsync(bound.Token);
        Assert.True(p.ExitCode == 0, Text(stderr));
    }

    private static string Text(System.Text.StringBuilder b)
    {
        lock (b)
            return b.ToString();
    }

    private static string Home() => Directory.CreateTempSubdirectory("gpunet-home-").FullName;
}
