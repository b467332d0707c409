namespace Gpunet.Agent.Workloads;

/// <summary>The host ports of a <see cref="DockerPortRange"/> not published for a running container.</summary>
/// <remarks>Thread-safe. Ports are handed out in turn and a returned port goes to the back of the line, so a port a
/// lease just gave up is the last to be published again (a client still holding the old address does not reach the
/// next tenant's service at once).</remarks>
internal sealed class DockerPortPool(DockerPortRange range)
{
    private readonly Queue<int> _free = new(Enumerable.Range(range.First, range.Count));
    private readonly Lock _lock = new();

    /// <summary>The range the pool hands out.</summary>
    public DockerPortRange Range { get; } = range;

    /// <summary>Takes a free port; null when all are published.</summary>
    public int? Rent()
    {
        lock (_lock)
            return _free.TryDequeue(out var port) ? port : null;
    }

    /// <summary>Gives a port back (after its container is removed).</summary>
    public void Return(int port)
    {
        lock (_lock)
            _free.Enqueue(port);
    }
}
