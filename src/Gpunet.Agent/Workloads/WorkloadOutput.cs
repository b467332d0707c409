using System.Threading.Channels;

namespace Gpunet.Agent.Workloads;

/// <summary>Where a workload's lines go: numbered in one order, appended to <c>output.log</c> and offered to
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
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read };
        // Readable by the agent alone (a sandboxed workload runs as another uid and cannot read it either).
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var path = new FileInfo(Path.Combine(workingDirectory, "output.log"));
        // A link left in the folder by an earlier run of the lease (whose workload owned the folder) is not followed.
        if (path.LinkTarget is not null)
            path.Delete();
        _log = new StreamWriter(path.FullName, options) { AutoFlush = true };
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
