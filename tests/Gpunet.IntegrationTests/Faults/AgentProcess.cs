using System.Diagnostics;
using System.Globalization;
using System.Text;
using Gpunet.IntegrationTests.Cli;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Faults;

/// <summary>A real <c>gpunet agent</c> process (simulated GPUs, process runtime) that a test can kill (SIGKILL) or
/// freeze (SIGSTOP) and thaw (SIGCONT) like a machine that dies or stalls.</summary>
internal sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout;
    private readonly StringBuilder _stderr;

    private AgentProcess(Process process, StringBuilder stdout, StringBuilder stderr, string hostname)
    {
        _process = process;
        _stdout = stdout;
        _stderr = stderr;
        Hostname = hostname;
    }

    public string Hostname { get; }

    public int Pid => _process.Id;

    /// <summary>What the agent printed so far (for a failure's message).</summary>
    public string Output
    {
        get
        {
            lock (_stdout)
            lock (_stderr)
                return $"{_stdout}{_stderr}";
        }
    }

    /// <summary>Starts an agent of <paramref name="gpus"/> in <paramref name="country"/> against <paramref name="c"/> and
    /// returns it once its host is Ready, with the host's id.</summary>
    public static async Task<(AgentProcess Agent, string HostId)> StartReadyAsync(TestCoordinator c, string hostname, string gpus = "H100-SXM5-80GB:1", string country = "DE")
    {
        var home = Directory.CreateTempSubdirectory("gpunet-agent-home-").FullName;
        // --unsafe-process-runtime only where bubblewrap cannot sandbox (it changes nothing where it can).
        var (p, stdout, stderr) = GpunetProcess.Start(home, "agent", "--coordinator", c.ApiUrl, "--simulate", gpus, "--country", country,
            "--hostname", hostname, "--price", "2.5", "--unsafe-process-runtime");
        var agent = new AgentProcess(p, stdout, stderr, hostname);
        try
        {
            var host = await Eventually.Async(async () => (await c.HostsAsync()).FirstOrDefault(h => h.Hostname == hostname && h.State == "Ready"),
                h => true, $"agent {hostname} to be Ready", 60);
            return (agent, host.Id);
        }
        catch
        {
            await agent.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL: the agent dies at once, its stream closes, nothing of it runs its clean-up.</summary>
    public async Task KillAsync()
    {
        Signals.Send(_process, Signals.Kill);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGSTOP: the agent stops running (its stream stays open, nothing is sent or read).</summary>
    public void Freeze() => Signals.Send(_process, Signals.Stop);

    /// <summary>SIGCONT: a frozen agent runs on.</summary>
    public void Thaw() => Signals.Send(_process, Signals.Cont);

    /// <summary>Processes started under the agent (its workloads) whose command line contains <paramref name="marker"/>.</summary>
    public int WorkloadsRunning(string marker)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                continue;
            try
            {
                // "pid (comm) state ppid ...": comm may hold spaces, so read after its closing parenthesis.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
            }
        }

        var count = 0;
        foreach (var pid in parents.Keys)
        {
            if (!Descends(pid, parents))
                continue;
            try
            {
                if (File.ReadAllText($"/proc/{pid}/cmdline").Contains(marker, StringComparison.Ordinal))
                    count++;
            }
            catch (IOException)
            {
            }
        }

        return count;
    }

    private bool Descends(int pid, Dictionary<int, int> parents)
    {
        for (var p = pid; parents.TryGetValue(p, out var parent) && parent > 1; p = parent)
        {
            if (parent == _process.Id)
                return true;
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // A frozen agent takes a SIGKILL as well; its workloads die with it (bubblewrap's --die-with-parent).
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
