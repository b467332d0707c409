using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Gpunet.Agent.Workloads;

/// <summary>The host ports of a <see cref="LeasePortRange"/> no lease holds: each session or service lease (and each
/// container that publishes a port) gets one of its own, given back when its workload ends.</summary>
/// <remarks>Thread-safe. One pool per range and agent process (<see cref="For"/>): both runtimes take from it, and a
/// devnet's agents, which share one process and the host's network, do not hand out one port twice. Ports are handed
/// out in turn and a returned port goes to the back of the line, so a port a lease just gave up is the last to be
/// given again (a client still holding the old address does not reach the next tenant's service at once).</remarks>
internal sealed class LeasePortPool(LeasePortRange range)
{
    private static readonly ConcurrentDictionary<LeasePortRange, LeasePortPool> Shared = new();
    private readonly Queue<int> _free = new(Enumerable.Range(range.First, range.Count));
    private readonly Lock _lock = new();

    /// <summary>The pool of <paramref name="range"/> in this process.</summary>
    public static LeasePortPool For(LeasePortRange range) => Shared.GetOrAdd(range, r => new LeasePortPool(r));

    /// <summary>The range the pool hands out.</summary>
    public LeasePortRange Range { get; } = range;

    /// <summary>Takes a free port; null when all are held.</summary>
    public int? Rent()
    {
        lock (_lock)
            return _free.TryDequeue(out var port) ? port : null;
    }

    /// <summary>Takes a free port that nothing else on the host listens on now (another program, an agent in another
    /// process with an overlapping range); null when none of <paramref name="attempts"/> tries found one.</summary>
    /// <remarks>A workload of the process runtime binds its port itself, on the host's network: a port found taken
    /// goes back to the pool's end and the next one is tried.</remarks>
    public int? RentListenable(int attempts = 8)
    {
        for (var i = 0; i < attempts; i++)
        {
            if (Rent() is not { } port)
                return null;
            if (IsFree(port))
                return port;
            Return(port);
        }

        return null;
    }

    /// <summary>Gives a port back (after its workload ended or its container is removed).</summary>
    public void Return(int port)
    {
        lock (_lock)
            _free.Enqueue(port);
    }

    internal static bool IsFree(int port)
    {
        try
        {
            // The wildcard address: a service listening on any of the host's addresses holds it.
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(new IPEndPoint(IPAddress.Any, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
