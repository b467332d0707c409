namespace Gpunet.Agent.Workloads;

/// <summary>The user ids sandboxed leases run as, one per running lease: the lowest free one first.</summary>
/// <remarks>Thread-safe. Pure bookkeeping: the uid is given to the workload by <see cref="ProcessSandbox"/>. A uid is
/// free again once its lease has ended, and with it every process of that uid (the lease's PID namespace ends them).</remarks>
internal sealed class SandboxUids(int first, int count)
{
    /// <summary>The default first uid: 2,000,000,000 lies in the range that neither Debian's nor systemd's uid
    /// allocations use (systemd's UIDS-GIDS table leaves 1879048192–2147483647 unused) and below 2^31, which some tools
    /// read as a signed number.</summary>
    public const int DefaultFirst = 2_000_000_000;

    /// <summary>The default number of uids, so of sandboxed leases running at once.</summary>
    public const int DefaultCount = 65_536;

    private readonly SortedSet<int> _taken = [];
    private readonly Lock _lock = new();

    public int First { get; } = first;

    /// <summary>The highest uid the pool gives out.</summary>
    public int Last => First + count - 1;

    /// <summary>Takes the lowest free uid; throws <see cref="InvalidOperationException"/> when every one is taken.</summary>
    public int Take()
    {
        lock (_lock)
        {
            var uid = First;
            foreach (var taken in _taken)
            {
                if (taken != uid)
                    break;
                uid++;
            }

            if (uid - First >= count)
                throw new InvalidOperationException($"all {count} sandbox uids are in use");
            _taken.Add(uid);
            return uid;
        }
    }

    /// <summary>Gives back a uid from <see cref="Take"/>.</summary>
    public void Release(int uid)
    {
        lock (_lock)
            _taken.Remove(uid);
    }
}
