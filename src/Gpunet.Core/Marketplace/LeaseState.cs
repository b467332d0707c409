namespace Gpunet.Core.Marketplace;

/// <summary>Where a lease is: waiting for capacity, placed and starting, running, or ended.</summary>
public enum LeaseState
{
    /// <summary>Waiting in the queue for capacity; its reason says what is missing.</summary>
    Pending,
    /// <summary>Placed on a host's GPUs; the agent is starting the workload.</summary>
    Starting,
    /// <summary>The workload runs.</summary>
    Running,
    /// <summary>Ended: the workload exited with code 0.</summary>
    Succeeded,
    /// <summary>Ended: the workload failed, could not start, or broke a limit.</summary>
    Failed,
    /// <summary>Ended: the customer cancelled it.</summary>
    Cancelled,
    /// <summary>Ended: it waited in the queue too long, or its term ran out.</summary>
    Expired,
    /// <summary>Ended: its host went offline and the lease was not to be moved.</summary>
    HostLost,
}
