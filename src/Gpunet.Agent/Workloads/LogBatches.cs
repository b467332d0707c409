using System.Threading.Channels;
using Gpunet.Protocol;

namespace Gpunet.Agent.Workloads;

/// <summary>How a workload's lines are grouped for the coordinator: batches of up to <see cref="MaxLines"/> lines, or
/// what came within <see cref="Window"/> of a batch's first line, each tagged with the lease attempt that wrote it.</summary>
internal static class LogBatches
{
    /// <summary>Most lines in one <see cref="LeaseLog"/>.</summary>
    public const int MaxLines = 256;

    /// <summary>How long a batch waits for more lines after its first one.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(100);

    /// <summary>Hands <paramref name="send"/> the lines of <paramref name="lines"/> in batches; returns once the workload's
    /// output has ended.</summary>
    public static async Task ForwardAsync(string leaseId, int attempt, ChannelReader<WorkloadLogLine> lines, Action<LeaseLog> send, TimeProvider time)
    {
        while (await lines.WaitToReadAsync())
        {
            var batch = new LeaseLog { LeaseId = leaseId, Attempt = attempt };
            using var window = new CancellationTokenSource(Window, time);
            while (true)
            {
                while (batch.Lines.Count < MaxLines && lines.TryRead(out var line))
                {
                    batch.Lines.Add(new LogLine
                    {
                        Sequence = line.Sequence,
                        Stream = line.Stream,
                        Text = line.Text,
                        AtUnixMs = line.At.ToUnixTimeMilliseconds(),
                    });
                }

                if (batch.Lines.Count >= MaxLines)
                    break;
                try
                {
                    if (!await lines.WaitToReadAsync(window.Token))
                        break;
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            if (batch.Lines.Count > 0)
                send(batch);
        }
    }
}
