using System.Diagnostics;
using System.Text;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Cli;

/// <summary>Runs the real <c>gpunet</c> program as a child process with its own GPUNET_HOME.</summary>
internal sealed class GpunetProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "gpunet.dll");

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static ProcessStartInfo StartInfo(string home, IReadOnlyDictionary<string, string>? env, params string[] args)
    {
        Leftovers.Clear();
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Dll);
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        psi.Environment["GPUNET_HOME"] = home;
        psi.Environment[Leftovers.Variable] = Leftovers.ThisHost;
        psi.Environment["NO_COLOR"] = "1";
        // gpunet's own runtime settings turn dynamic PGO off; this also covers the test-only crashing coordinator
        // (Gpunet.SettlementCrashHost), whose runtime settings are the SDK's: a child lives seconds, and without the
        // instrumented tier a coordinator's first half-minute costs about 6 CPU seconds instead of 9.
        psi.Environment["DOTNET_TieredPGO"] = "0";
        psi.Environment.Remove("GPUNET_COORDINATOR");
        psi.Environment.Remove("GPUNET_ADMIN_TOKEN");
        psi.Environment.Remove("GPUNET_KEY");
        psi.Environment.Remove("COLUMNS");
        if (env is not null)
        {
            foreach (var (k, v) in env)
                psi.Environment[k] = v;
        }

        return psi;
    }

    public static Task<Result> RunAsync(string home, IReadOnlyDictionary<string, string>? env, params string[] args) =>
        RunAsync(TimeSpan.FromSeconds(60), home, env, args);

    /// <summary>Runs a command that may take longer than a minute (a benchmark), up to <paramref name="bound"/>.</summary>
    public static async Task<Result> RunAsync(TimeSpan bound, string home, IReadOnlyDictionary<string, string>? env, params string[] args)
    {
        using var p = Process.Start(StartInfo(home, env, args))!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(bound);
        try
        {
            await p.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Past its bound: stopped, and failed with what it printed until then, so that the test says where it stood.
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync(CancellationToken.None);
            return new Result(-1, await stdout, $"gpunet {string.Join(' ', args)}: still running after {bound.TotalSeconds:0} s, stopped\n{await stderr}");
        }

        return new Result(p.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts a long-running command; output is collected into the returned builders.</summary>
    public static (Process Process, StringBuilder Stdout, StringBuilder Stderr) Start(string home, params string[] args)
    {
        var p = Process.Start(StartInfo(home, null, args))!;
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        p.OutputDataReceived += (_, e) => { lock (stdout) stdout.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { lock (stderr) stderr.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return (p, stdout, stderr);
    }
}
