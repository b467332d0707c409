namespace Gpunet.Core.Marketplace;

/// <summary>The lease state machine: which moves are allowed and which end each reason gives.</summary>
/// <remarks>Pending → Starting → Running → Succeeded | Failed | Cancelled | Expired | HostLost. A lease moved after
/// its host was lost goes back from Starting or Running to Pending; an ended lease never moves again. A lease still
/// Starting whose agent connects again without it is started again, Starting → Starting as a new attempt: the agent may
/// have run the earlier one before it restarted, and each attempt's lines and usage are numbered on their own.</remarks>
public static class LeaseLifecycle
{
    /// <summary>True for the five end states.</summary>
    public static bool IsEnded(LeaseState state) => state >= LeaseState.Succeeded;

    /// <summary>True while the lease holds GPUs (placed and not ended).</summary>
    public static bool HoldsCapacity(LeaseState state) => state is LeaseState.Starting or LeaseState.Running;

    /// <summary>The end state a reason gives.</summary>
    public static LeaseState EndState(LeaseEndReason reason) => reason switch
    {
        LeaseEndReason.Completed => LeaseState.Succeeded,
        LeaseEndReason.Cancelled => LeaseState.Cancelled,
        LeaseEndReason.QueueTimeout or LeaseEndReason.TermEnded or LeaseEndReason.FundsExhausted => LeaseState.Expired,
        LeaseEndReason.HostLost => LeaseState.HostLost,
        _ => LeaseState.Failed,
    };

    /// <summary>Whether <paramref name="from"/> may move to <paramref name="to"/>.</summary>
    public static bool CanMove(LeaseState from, LeaseState to) => (from, to) switch
    {
        _ when IsEnded(from) => false,
        (LeaseState.Pending, LeaseState.Starting) => true,
        (LeaseState.Starting, LeaseState.Running) => true,
        (LeaseState.Starting or LeaseState.Running, LeaseState.Pending) => true,
        (LeaseState.Pending, LeaseState.Cancelled or LeaseState.Expired) => true,
        (LeaseState.Starting or LeaseState.Running, _) when IsEnded(to) => true,
        _ => false,
    };

    /// <summary>Whether a lease in <paramref name="state"/> may start again as its next attempt on the same placement: only
    /// one still Starting, whose agent connected again without it (it may have run it and restarted before its start
    /// report was stored). Not a move: the state stays Starting, the attempt grows.</summary>
    public static bool CanStartAgain(LeaseState state) => state == LeaseState.Starting;

    /// <summary>The reason as the API and CLI spell it, e.g. <c>exit-nonzero</c>.</summary>
    public static string Spell(LeaseEndReason reason) => reason switch
    {
        LeaseEndReason.Completed => "completed",
        LeaseEndReason.ExitNonzero => "exit-nonzero",
        LeaseEndReason.StartFailed => "start-failed",
        LeaseEndReason.StartTimeout => "start-timeout",
        LeaseEndReason.LimitExceeded => "limit-exceeded",
        LeaseEndReason.WorkloadLost => "workload-lost",
        LeaseEndReason.Cancelled => "cancelled",
        LeaseEndReason.QueueTimeout => "queue-timeout",
        LeaseEndReason.TermEnded => "term-ended",
        LeaseEndReason.HostLost => "host-lost",
        LeaseEndReason.FundsExhausted => "funds-exhausted",
        LeaseEndReason.Compliance => "compliance",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    /// <summary>The end for a workload that exited on its own with <paramref name="exitCode"/>.</summary>
    public static LeaseEndReason ForExit(int exitCode) => exitCode == 0 ? LeaseEndReason.Completed : LeaseEndReason.ExitNonzero;

    /// <summary>The end of a lease whose workload the agent killed for <paramref name="cause"/>, with the history's
    /// words. An agent that does not say why (<see cref="WorkloadKillCause.Unknown"/>) is read by its words, as agents
    /// before the typed cause wrote them ("memory limit…", "time limit…").</summary>
    public static (LeaseEndReason Reason, string Detail) ForKill(WorkloadKillCause cause, string detail) => cause switch
    {
        WorkloadKillCause.MemoryLimit => (LeaseEndReason.LimitExceeded, detail),
        WorkloadKillCause.TimeLimit => (LeaseEndReason.TermEnded, detail),
        WorkloadKillCause.Unknown when detail.StartsWith("memory limit", StringComparison.Ordinal) => (LeaseEndReason.LimitExceeded, detail),
        WorkloadKillCause.Unknown when detail.StartsWith("time limit", StringComparison.Ordinal) => (LeaseEndReason.TermEnded, detail),
        _ => (LeaseEndReason.WorkloadLost, $"the agent killed it: {detail}"),
    };

    /// <summary>What to do with a lease whose host was lost: move it (restart policy <c>on-host-loss</c>) or end it.</summary>
    public static bool MovesOnHostLoss(RestartPolicy policy, LeaseState state) =>
        policy == RestartPolicy.OnHostLoss && HoldsCapacity(state);
}
