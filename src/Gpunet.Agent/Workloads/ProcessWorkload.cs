using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;

namespace Gpunet.Agent.Workloads;

/// <summary>A workload run as a local process (the <c>process</c> runtime): its own working directory, only its leased
/// GPUs visible, stdout and stderr captured line by line, and killed with its whole process tree on cancel.</summary>
/// <remarks>Thread-safe. Lines go to <c>output.log</c> in the working directory and to <see cref="Lines"/> for live
/// streaming; <see cref="Exited"/> completes with the exit code once the process and its output are done.</remarks>
public sealed class ProcessWorkload : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Channel<WorkloadLogLine> _lines = Channel.CreateUnbounded<WorkloadLogLine>(new UnboundedChannelOptions { SingleReader = false });
    private readonly TimeProvider _time;
    private readonly Lock _logLock = new();
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _sequence;
    private string? _killedBecause;

    private ProcessWorkload(Process process, string workingDirectory, TimeProvider time)
    {
        _process = process;
        _time = time;
        WorkingDirectory = workingDirectory;
        _log = new StreamWriter(Path.Combine(workingDirectory, "output.log"), append: true) { AutoFlush = true };
    }

    /// <summary>The workload's own directory (<c>ROOT/leases/LEASE</c>).</summary>
    public string WorkingDirectory { get; }

    public int ProcessId => _process.Id;

    /// <summary>Every line the workload writes, as it writes them; completes when the workload ends.</summary>
    public ChannelReader<WorkloadLogLine> Lines => _lines.Reader;

    /// <summary>The exit code, once the process has ended and its output is read.</summary>
    public Task<int> Exited => _exited.Task;

    /// <summary>Why the agent killed the workload, or null if it ended on its own.</summary>
    public string? KilledBecause => Volatile.Read(ref _killedBecause);

    /// <summary>Starts the workload; throws <see cref="ArgumentException"/> for an empty command or a lease id that is not a
    /// plain name, and <see cref="InvalidOperationException"/> when the program cannot be started.</summary>
    public static ProcessWorkload Start(WorkloadSpec spec, string root, TimeProvider time)
    {
        if (spec.Command.Count == 0 || string.IsNullOrWhiteSpace(spec.Command[0]))
            throw new ArgumentException("command: a program to run is required");
        if (string.IsNullOrWhiteSpace(spec.LeaseId) || spec.LeaseId.IndexOfAny([.. Path.GetInvalidFileNameChars(), '.']) >= 0)
            throw new ArgumentException($"lease id '{spec.LeaseId}' cannot name a directory");
        if (spec.GpuIndices.Any(i => i < 0))
            throw new ArgumentException("gpu indices: may not be negative");

        var dir = Path.Combine(Path.GetFullPath(root), "leases", spec.LeaseId);
        Directory.CreateDirectory(dir);
        var psi = new ProcessStartInfo(spec.Command[0])
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in spec.Command.Skip(1))
            psi.ArgumentList.Add(arg);
        if (spec.Environment is not null)
        {
            foreach (var (k, v) in spec.Environment)
                psi.Environment[k] = v;
        }

        // Only the leased GPUs are visible: CUDA numbers them 0..n-1 in this order, and the NVIDIA container runtime
        // reads the second variable.
        var visible = spec.GpuIndices.Count == 0 ? "" : string.Join(',', spec.GpuIndices.Select(i => i.ToString(CultureInfo.InvariantCulture)));
        psi.Environment["CUDA_VISIBLE_DEVICES"] = visible;
        psi.Environment["NVIDIA_VISIBLE_DEVICES"] = spec.GpuIndices.Count == 0 ? "none" : visible;
        psi.Environment["GPUNET_LEASE_ID"] = spec.LeaseId;

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        try
        {
            if (!process.Start())
                throw new InvalidOperationException($"could not start '{spec.Command[0]}'");
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new InvalidOperationException($"could not start '{spec.Command[0]}': {e.Message}", e);
        }

        process.StandardInput.Close();
        var workload = new ProcessWorkload(process, dir, time);
        workload.Pump();
        return workload;
    }

    private void Pump()
    {
        var stdout = Task.Run(() => ReadAsync(_process.StandardOutput, "stdout"));
        var stderr = Task.Run(() => ReadAsync(_process.StandardError, "stderr"));
        _ = Task.Run(async () =>
        {
            await _process.WaitForExitAsync();
            await Task.WhenAll(stdout, stderr);
            _lines.Writer.TryComplete();
            lock (_logLock)
                _log.Dispose();
            _exited.TrySetResult(_process.ExitCode);
        });
    }

    private async Task ReadAsync(StreamReader reader, string stream)
    {
        while (await reader.ReadLineAsync() is { } text)
        {
            // Numbering, the log file and the live stream take the lines in one order: stdout and stderr are read
            // on two threads.
            lock (_logLock)
            {
                var line = new WorkloadLogLine(++_sequence, stream, text, _time.GetUtcNow());
                _log.WriteLine($"{line.At:yyyy-MM-ddTHH:mm:ss.fffZ} {stream} {text}");
                _lines.Writer.TryWrite(line);
            }
        }
    }

    /// <summary>Kills the workload and every process it started; returns once it has exited.</summary>
    public async Task KillAsync(string reason)
    {
        Interlocked.CompareExchange(ref _killedBecause, reason, null);
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
            await KillAsync("agent stopping");
        await Exited;
        _process.Dispose();
    }
}
