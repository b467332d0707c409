using System.Text;
using System.Threading.Channels;
using Docker.DotNet;
using Docker.DotNet.Models;
using KillCause = Gpunet.Protocol.LeaseReport.Types.KillCause;

namespace Gpunet.Agent.Workloads;

/// <summary>A workload running as a Docker container: its logs followed into <see cref="Lines"/> and <c>output.log</c>,
/// its exit code from the engine's wait.</summary>
/// <remarks>Thread-safe. Owns the client; disposing kills and removes the container, then frees what the runtime
/// holds for it (its host port).</remarks>
internal sealed class DockerWorkload : IRunningWorkload
{
    private readonly DockerClient _client;
    private readonly WorkloadOutput _output;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly long _memoryMib;
    private readonly Action? _released;
    private WorkloadKill? _killedBecause;
    private int _disposed;

    /// <param name="memoryMib">The container's memory limit in MiB (0: none), named when the kernel kills it for it.</param>
    /// <param name="released">Called once the container is removed, to free what the runtime held for it.</param>
    public DockerWorkload(DockerClient client, string containerId, string workingDirectory, TimeProvider time, long memoryMib = 0,
        Action? released = null)
    {
        _client = client;
        ContainerId = containerId;
        _output = new WorkloadOutput(workingDirectory, time);
        _memoryMib = memoryMib;
        _released = released;
    }

    public string ContainerId { get; }

    public ChannelReader<WorkloadLogLine> Lines => _output.Lines;

    public Task<int> Exited => _exited.Task;

    public int? EndpointPort { get; init; }

    public WorkloadKill? KilledBecause => Volatile.Read(ref _killedBecause);

    /// <summary>Writes a line of the agent's own to the workload's stderr (before <see cref="Follow"/>: its first line).</summary>
    public void Announce(string text) => _output.Write("stderr", text);

    /// <summary>Starts following the started container's logs and waiting for its end.</summary>
    public void Follow()
    {
        var logs = Task.Run(FollowLogsAsync);
        _ = Task.Run(async () =>
        {
            int code;
            try
            {
                var wait = await _client.Containers.WaitContainerAsync(ContainerId, _stop.Token);
                code = (int)wait.StatusCode;
            }
            catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException or OperationCanceledException)
            {
                _output.Write("stderr", $"[gpunet: lost the container: {e.Message}]");
                code = -1;
            }

            if (code != 0 && _memoryMib > 0 && KilledBecause is null)
                await NoteMemoryKillAsync();
            try
            {
                await logs.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (TimeoutException)
            {
                // The log stream did not close with the container; what was read is kept.
            }

            _output.Dispose();
            _exited.TrySetResult(code);
        });
    }

    /// <summary>Records the memory limit as the reason where the kernel ended the container for it (the kernel, not
    /// the agent, enforces it; the engine remembers).</summary>
    private async Task NoteMemoryKillAsync()
    {
        try
        {
            var container = await _client.Containers.InspectContainerAsync(ContainerId, _stop.Token);
            if (container.State.OOMKilled)
                Interlocked.CompareExchange(ref _killedBecause, new WorkloadKill(KillCause.MemoryLimit, $"memory limit of {_memoryMib} MiB exceeded"), null);
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException or OperationCanceledException)
        {
            // Gone already: the exit code alone is reported.
        }
    }

    private async Task FollowLogsAsync()
    {
        try
        {
            using var stream = await _client.Containers.GetContainerLogsAsync(ContainerId, tty: false,
                new ContainerLogsParameters { Follow = true, ShowStdout = true, ShowStderr = true }, _stop.Token);
            var stdout = new LineSplitter("stdout", _output);
            var stderr = new LineSplitter("stderr", _output);
            var buffer = new byte[16 * 1024];
            while (true)
            {
                var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, _stop.Token);
                if (read.EOF)
                    break;
                (read.Target == MultiplexedStream.TargetStream.StandardError ? stderr : stdout).Add(buffer.AsSpan(0, read.Count));
            }

            stdout.Flush();
            stderr.Flush();
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException or OperationCanceledException)
        {
            // The container or the engine went away; Exited reports what the wait saw.
        }
    }

    public async Task KillAsync(WorkloadKill kill)
    {
        Interlocked.CompareExchange(ref _killedBecause, kill, null);
        try
        {
            await _client.Containers.KillContainerAsync(ContainerId, new ContainerKillParameters(), CancellationToken.None);
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException)
        {
            // Not running any more.
        }

        await Exited;
        await DockerRuntime.RemoveQuietlyAsync(_client, ContainerId);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        if (!Exited.IsCompleted)
            await KillAsync(WorkloadKill.AgentStopping);
        await DockerRuntime.RemoveQuietlyAsync(_client, ContainerId);
        await _stop.CancelAsync();
        await Exited;
        _released?.Invoke();
        _stop.Dispose();
        _client.Dispose();
    }

    /// <summary>Cuts one demultiplexed stream into lines, decoding UTF-8 across chunk boundaries.</summary>
    private sealed class LineSplitter(string stream, WorkloadOutput output)
    {
        private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
        private readonly StringBuilder _line = new();
        private char[] _chars = new char[1024];

        public void Add(ReadOnlySpan<byte> bytes)
        {
            var needed = _decoder.GetCharCount(bytes, flush: false);
            if (needed > _chars.Length)
                _chars = new char[needed];
            var count = _decoder.GetChars(bytes, _chars, flush: false);
            foreach (var c in _chars.AsSpan(0, count))
            {
                if (c == '\n')
                    Emit();
                else
                    _line.Append(c);
            }
        }

        public void Flush()
        {
            if (_line.Length > 0)
                Emit();
        }

        private void Emit()
        {
            if (_line.Length > 0 && _line[^1] == '\r')
                _line.Length--;
            output.Write(stream, _line.ToString());
            _line.Clear();
        }
    }
}
