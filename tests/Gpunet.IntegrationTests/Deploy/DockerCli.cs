using System.Diagnostics;

namespace Gpunet.IntegrationTests.Deploy;

/// <summary>Runs <c>docker</c> and <c>docker-compose</c> as an operator would, and says what they printed when they fail.</summary>
internal static class DockerCli
{
    /// <summary>Debian's client, which speaks this engine's API version; another <c>docker</c> on PATH may be newer.</summary>
    public static string Docker => File.Exists("/usr/bin/docker") ? "/usr/bin/docker" : "docker";

    public sealed record Result(int ExitCode, string Output);

    /// <summary>Runs the program to its end (bounded: an engine that hangs fails the test, with the output so far).</summary>
    public static async Task<Result> RunAsync(string program, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? env = null, double seconds = 300)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>())
            psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            await p.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"{program} {string.Join(' ', args)} did not finish within {seconds} s");
        }

        return new Result(p.ExitCode, (await stdout) + (await stderr));
    }

    /// <summary>Runs the program and fails the test, with its output, when it exits non-zero.</summary>
    public static async Task<string> MustAsync(string program, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? env = null, double seconds = 300)
    {
        var r = await RunAsync(program, args, env, seconds);
        Assert.True(r.ExitCode == 0, $"{program} {string.Join(' ', args)} exited {r.ExitCode}:\n{r.Output}");
        return r.Output;
    }
}
