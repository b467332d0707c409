namespace Gpunet.Core.Marketplace;

/// <summary>Why a lease ended; every end has exactly one.</summary>
public enum LeaseEndReason
{
    /// <summary><c>completed</c>: exit code 0.</summary>
    Completed,
    /// <summary><c>exit-nonzero</c>: the workload exited with another code.</summary>
    ExitNonzero,
    /// <summary><c>start-failed</c>: the agent could not start it (no such program, no Docker, …).</summary>
    StartFailed,
    /// <summary><c>start-timeout</c>: the agent never reported it running.</summary>
    StartTimeout,
    /// <summary><c>limit-exceeded</c>: the agent killed it for using more memory than leased.</summary>
    LimitExceeded,
    /// <summary><c>workload-lost</c>: the agent restarted and no longer runs it.</summary>
    WorkloadLost,
    /// <summary><c>cancelled</c>: the customer cancelled it.</summary>
    Cancelled,
    /// <summary><c>queue-timeout</c>: no capacity came before the order's queue deadline.</summary>
    QueueTimeout,
    /// <summary><c>term-ended</c>: its duration ran out.</summary>
    TermEnded,
    /// <summary><c>host-lost</c>: its host went offline.</summary>
    HostLost,

    /// <summary><c>funds-exhausted</c>: the customer's wallet could not cover the next on-demand hold.</summary>
    FundsExhausted,

    /// <summary><c>compliance</c>: a compliance rule stops it now (a new policy, a host or customer no longer allowed).</summary>
    Compliance,
}
