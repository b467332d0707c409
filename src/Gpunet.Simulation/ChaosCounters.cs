namespace Gpunet.Simulation;

/// <summary>What happened in a run, counted.</summary>
public sealed class ChaosCounters
{
    public long CoordinatorCrashes { get; set; }

    public long AgentCrashes { get; set; }

    public long AgentFreezes { get; set; }

    public long Partitions { get; set; }

    public long ConnectionsBroken { get; set; }

    public long MessagesLost { get; set; }

    public long MessagesDuplicated { get; set; }

    public long MessagesLate { get; set; }

    public long ClockJumps { get; set; }

    public long StoreFaultSpells { get; set; }

    public long WritesFailed { get; set; }

    public long WritesSlow { get; set; }

    public long OrdersAccepted { get; set; }

    public long OrdersRefused { get; set; }

    public long Placements { get; set; }

    public long LeasesMoved { get; set; }

    /// <summary>Leases still Starting that a reconnected agent did not run, sent again as a new attempt.</summary>
    public long StartsRenewed { get; set; }

    public long LeasesEnded { get; set; }

    public long UsageAccepted { get; set; }

    public long UsageRefused { get; set; }

    public long UsageReplayed { get; set; }

    public long EpochsSettled { get; set; }

    public long Slashes { get; set; }

    /// <summary>Milliseconds billed over all accepted usage.</summary>
    public long BilledMs { get; set; }

    /// <summary>Milliseconds of accepted usage periods in which some coordinator heard the host.</summary>
    public long HeardReportedMs { get; set; }

    /// <summary>Heard and reported milliseconds not billed: lost to coordinator restarts (bounded by the invariants).</summary>
    public long UnbilledHeardMs => HeardReportedMs - BilledMs;

    /// <summary>Seconds charged to customers at settlement.</summary>
    public long ChargedSeconds { get; set; }
}
