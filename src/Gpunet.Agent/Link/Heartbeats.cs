using Gpunet.Agent.Discovery;
using Gpunet.Protocol;

namespace Gpunet.Agent.Link;

/// <summary>The heartbeat an agent sends: its sequence, when it was sent, and each GPU's state now.</summary>
internal static class Heartbeats
{
    /// <summary>Heartbeat number <paramref name="sequence"/> at <paramref name="now"/>, asking for an acknowledgement (three
    /// missing mean a half-open connection); a reading the GPU did not give is -1.</summary>
    public static Heartbeat Of(GpuInventory inventory, ulong sequence, DateTimeOffset now)
    {
        var heartbeat = new Heartbeat
        {
            Sequence = sequence,
            SentAtUnixMs = now.ToUnixTimeMilliseconds(),
            AckRequested = true,
        };
        foreach (var g in inventory.Gpus)
        {
            heartbeat.Gpus.Add(new GpuStatus
            {
                Index = g.Index,
                UtilizationPct = g.UtilizationPct ?? -1,
                TemperatureC = g.TemperatureC ?? -1,
                MemoryUsedMib = g.MemoryUsedMiB ?? -1,
            });
        }

        return heartbeat;
    }
}
