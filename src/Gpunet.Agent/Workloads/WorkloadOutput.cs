using System.Threading.Channels;

namespace Gpunet.Agent.Workloads;

/// <summary>Where a workload's lines go: numbered in one order, written to <c>output.log</c> and offered to
/// <see cref="Lines"/> for live streaming.</summary>
/// <remarks>Thread-safe: stdout and stderr are read on two threads.</remarks>
internal sealed class WorkloadOutput : IDisposable
{
    private readonly StreamWriter _log;
    private readonly Channel<WorkloadLogLine> _lines = Channel.CreateUnbounded<WorkloadLogLine>(new UnboundedChannelOptions { SingleReader = false });
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private long _sequence;
    private bool _completed;

    public WorkloadOutput(string workingDirectory, TimeProvider time)
    {
        _time = time;
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.Read };
        // Readable by the agent alone (a sandboxed workload runs as another uid and cannot read it either).
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var path = Path.Combine(workingDirectory, "output.log");
        // Whatever an earlier run of the lease left there (its workload owned the folder) is removed, never opened: a
        // link would be followed, a FIFO would block the agent, a folder would fail the start. The earlier run's lines
        // reached the coordinator already; a new file is created, and not one a workload made meanwhile (CreateNew).
        if (Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null)
            Directory.Delete(path, recursive: true);
        else if (File.Exists(path) || new FileInfo(path).LinkTarget is not null)
            File.Delete(path);
        _log = new StreamWriter(path, options) { AutoFlush = true };
    }

    public ChannelReader<WorkloadLogLine> Lines => _lines.Reader;

    public void Write(string stream, string text)
    {
        lock (_lock)
        {
            if (_completed)
                return;
            var line = new WorkloadLogLine(++_sequence, stream, text, _time.GetUtcNow());
            _log.WriteLine($"{line.At:yyyy-MM-ddTHH:mm:ss.fffZ} {stream} {text}");
            _lines.Writer.TryWrite(line);
        }
    }

    /// <summary>No more lines: completes <see cref="Lines"/> and closes the log file.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_completed)
                return;
            _completed = true;
            _lines.Writer.TryComplete();
            _log.Dispose();
        }
    }
}
