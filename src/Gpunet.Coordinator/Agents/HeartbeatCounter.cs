namespace Gpunet.Coordinator.Agents;

/// <summary>Counts heartbeats received; read by metrics and benchmarks.</summary>
public sealed class HeartbeatCounter
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    internal void Increment() => Interlocked.Increment(ref _count);
}
