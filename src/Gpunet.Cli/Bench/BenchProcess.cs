using System.Diagnostics;

namespace Gpunet.Cli.Bench;

/// <summary>A child <c>gpunet</c> process of a benchmark (a coordinator or an agent), started from the same program
/// the benchmark runs, its output appended to a log file.</summary>
/// <remarks>Thread-safe for its output; started and killed from one caller.</remarks>
internal sealed class BenchProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _lock = new();
    private bool _closed;

    private BenchProcess(Process process, StreamWriter log)
    {
        _process = process;
        _log = log;
    }

    /// <summary>Whether the process has ended (killed, or exited on its own).</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>gpunet ARGS</c> with <paramref name="environment"/> added to this process's, appending its
    /// output to <paramref name="logFile"/>.</summary>
    public static BenchProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, string logFile)
    {
        var psi = StartInfo(args);
        psi.RedirectStandardInput = true;
        foreach (var (k, v) in environment)
            psi.Environment[k] = v;

        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = psi };
        var child = new BenchProcess(process, log);
        process.OutputDataReceived += (_, e) => child.Write(e.Data);
        process.ErrorDataReceived += (_, e) => child.Write(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>How to start <c>gpunet ARGS</c> from the program this process runs, its output redirected.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this program is not known");
        var psi = new ProcessStartInfo(host)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Run as `dotnet gpunet.dll` (tests, dotnet run of the dll): the child needs the dll named; as the apphost, not.
        if (string.Equals(Path.GetFileNameWithoutExtension(host), "dotnet", StringComparison.OrdinalIgnoreCase))
            psi.ArgumentList.Add(typeof(BenchProcess).Assembly.Location);
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        return psi;
    }

    /// <summary>SIGKILL, as a crash would end it: nothing it holds in memory is written; then waits for it to be gone.</summary>
    public async Task KillAsync(bool entireTree = false)
    {
        if (!_process.HasExited)
        {
            try
            {
                _process.Kill(entireTree);
            }
            catch (InvalidOperationException)
            {
                // It ended between the check and the kill.
            }
        }

        await _process.WaitForExitAsync(CancellationToken.None);
    }

    private void Write(string? line)
    {
        if (line is null)
            return;
        lock (_lock)
        {
            if (!_closed)
                _log.WriteLine(line);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
            catch (InvalidOperationException)
            {
            }
        }

        _process.Dispose();
        lock (_lock)
        {
            _closed = true;
            _log.Dispose();
        }
    }
}
