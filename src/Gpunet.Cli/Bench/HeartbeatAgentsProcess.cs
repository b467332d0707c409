using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Gpunet.Cli.Bench;

/// <summary>The parent's side of <see cref="BenchHeartbeatAgentsCommand"/>: starts the agents' process and reads its
/// events, writing it the next step; its other output goes to this process's standard error.</summary>
internal sealed class HeartbeatAgentsProcess : IDisposable
{
    private readonly Process _process;

    private HeartbeatAgentsProcess(Process process) => _process = process;

    /// <summary>Starts the agents of <paramref name="s"/> against the coordinators' agent URLs.</summary>
    public static HeartbeatAgentsProcess Start(BenchHeartbeatsCommand.Settings s, IEnumerable<string> agentUrls)
    {
        string[] args =
        [
            "bench", "heartbeat-agents", "--json",
            "--hosts", Invariant(s.Hosts), "--seconds", Invariant(s.Seconds), "--warmup", Invariant(s.Warmup),
            "--connections", Invariant(s.Connections), "--in-flight", Invariant(s.InFlight), "--ack-every", Invariant(s.AckEvery),
            "--rate", Invariant(s.Rate),
            .. agentUrls.SelectMany(u => (string[])["--url", u]),
        ];
        var psi = BenchProcess.StartInfo(args);
        psi.RedirectStandardInput = true;
        var process = new Process { StartInfo = psi };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                Console.Error.WriteLine(e.Data);
        };
        process.Start();
        process.BeginErrorReadLine();
        return new HeartbeatAgentsProcess(process);
    }

    /// <summary>Writes the agents their next step.</summary>
    public async Task SendAsync(string step)
    {
        await _process.StandardInput.WriteLineAsync(step);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Reads events until <paramref name="name"/>, handing the others to <paramref name="other"/>, and returns it.</summary>
    /// <exception cref="InvalidOperationException">The agents' process ended first.</exception>
    public async Task<JsonElement> NextAsync(string name, CancellationToken ct, Action<JsonElement>? other = null)
    {
        while (await _process.StandardOutput.ReadLineAsync(ct) is { } line)
        {
            if (!line.StartsWith("{\"event\":", StringComparison.Ordinal))
            {
                await Console.Error.WriteLineAsync(line);
                continue;
            }

            var e = JsonDocument.Parse(line).RootElement;
            if (e.GetProperty("event").GetString() == name)
                return e;
            other?.Invoke(e);
        }

        await _process.WaitForExitAsync(ct);
        throw new InvalidOperationException($"the agents' process ended (exit code {_process.ExitCode}) before '{name}'");
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
                _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    private static string Invariant(double v) => v.ToString(CultureInfo.InvariantCulture);
}
