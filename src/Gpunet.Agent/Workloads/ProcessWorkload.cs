using System.ComponentModel;
using System.Diagnostics;
using System.Threading.Channels;

namespace Gpunet.Agent.Workloads;

/// <summary>A workload run as a local process (the <c>process</c> runtime): its own working directory, only its leased
/// GPUs visible, stdout and stderr captured line by line, and killed with its whole process tree on cancel.</summary>
/// <remarks>Thread-safe. Lines go to <c>output.log</c> in the working directory and to <see cref="Lines"/> for live
/// streaming; <see cref="Exited"/> completes with the exit code once the process and its output are done. Limits are
/// applied by <see cref="ProcessRuntime"/>.</remarks>
public sealed class ProcessWorkload : IRunningWorkload
{
    private readonly Process _process;
    private readonly WorkloadOutput _output;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WorkloadKill? _killedBecause;

    private ProcessWorkload(Process process, string workingDirectory, WorkloadOutput output)
    {
        _process = process;
        WorkingDirectory = workingDirectory;
        _output = output;
    }

    /// <summary>The workload's own directory (<c>ROOT/leases/LEASE</c>).</summary>
    public string WorkingDirectory { get; }

    public int ProcessId => _process.Id;

    /// <inheritdoc/>
    public ChannelReader<WorkloadLogLine> Lines => _output.Lines;

    /// <inheritdoc/>
    public Task<int> Exited => _exited.Task;

    /// <inheritdoc/>
    public int? EndpointPort { get; internal set; }

    /// <inheritdoc/>
    public WorkloadKill? KilledBecause => Volatile.Read(ref _killedBecause);

    /// <summary>Starts the workload; throws <see cref="ArgumentException"/> for an empty command or a lease id that is not a
    /// plain name, and <see cref="InvalidOperationException"/> when the program cannot be started.</summary>
    public static ProcessWorkload Start(WorkloadSpec spec, string root, TimeProvider time) => Start(spec, root, time, launcher: []);

    /// <summary>Starts the workload through <paramref name="launcher"/> (e.g. <c>taskset -c 0</c>), a program that
    /// runs the command in place of itself, so the process id is the workload's.</summary>
    internal static ProcessWorkload Start(WorkloadSpec spec, string root, TimeProvider time, IReadOnlyList<string> launcher)
    {
        spec.Validate();
        var dir = spec.CreateWorkingDirectory(root);
        var command = launcher.Concat(spec.Command).ToList();
        var psi = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in command.Skip(1))
            psi.ArgumentList.Add(arg);
        foreach (var (k, v) in spec.WorkloadEnvironment(renumbered: false))
            psi.Environment[k] = v;
        return Launch(psi, dir, spec.Command[0], time);
    }

    /// <summary>Starts <paramref name="psi"/> (its output redirected) as the workload of the lease folder
    /// <paramref name="workingDirectory"/>; <paramref name="program"/> names it in errors.</summary>
    internal static ProcessWorkload Launch(ProcessStartInfo psi, string workingDirectory, string program, TimeProvider time)
    {
        // The log is opened before the workload runs: a sandboxed workload owns its folder, and must not get to put
        // a link where the agent then writes.
        var output = new WorkloadOutput(workingDirectory, time);
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        try
        {
            if (!LauncherThread.Start(process))
                throw new InvalidOperationException($"could not start '{program}'");
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            output.Dispose();
            throw new InvalidOperationException($"could not start '{program}': {e.Message}", e);
        }
        catch
        {
            process.Dispose();
            output.Dispose();
            throw;
        }

        process.StandardInput.Close();
        var workload = new ProcessWorkload(process, workingDirectory, output);
        workload.Pump();
        return workload;
    }

    /// <summary>Restricts the process to <paramref name="cores"/> (those below 64, what the affinity mask holds).</summary>
    /// <remarks>Only threads and children started afterwards inherit it: prefer a launcher where there is one.</remarks>
    internal void PinTo(IReadOnlyList<int> cores)
    {
        var mask = cores.Where(c => c < 64).Aggregate(0L, (m, c) => m | (1L << c));
        if (mask == 0 || !(OperatingSystem.IsLinux() || OperatingSystem.IsWindows()))
            return;
        try
        {
            _process.ProcessorAffinity = (nint)mask;
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private void Pump()
    {
        var stdout = Task.Run(() => ReadAsync(_process.StandardOutput, "stdout"));
        var stderr = Task.Run(() => ReadAsync(_process.StandardError, "stderr"));
        _ = Task.Run(async () =>
        {
            await _process.WaitForExitAsync();
            await Task.WhenAll(stdout, stderr);
            _output.Dispose();
            _exited.TrySetResult(_process.ExitCode);
        });
    }

    private async Task ReadAsync(StreamReader reader, string stream)
    {
        while (await reader.ReadLineAsync() is { } text)
            _output.Write(stream, text);
    }

    /// <inheritdoc/>
    public async Task KillAsync(WorkloadKill kill)
    {
        Interlocked.CompareExchange(ref _killedBecause, kill, null);
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        await Exited;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            await KillAsync(WorkloadKill.AgentStopping);
        await Exited;
        _process.Dispose();
    }
}
