namespace Gpunet.Core.Metering;

/// <summary>Why a usage report was refused. A refused report changes nothing.</summary>
public enum UsageRefusal
{
    /// <summary>Not refused.</summary>
    None = 0,

    /// <summary>The lease does not exist, or is not on the reporting host (or not on the attempt the report is from).</summary>
    NotThisHostsLease,

    /// <summary>The lease has not started, or ended before the period (or too long ago to report on).</summary>
    LeaseNotRunning,

    /// <summary>The period starts before the time already billed for the lease: it would be billed twice.</summary>
    AlreadyBilled,

    /// <summary>The period is empty (its end is not after its start).</summary>
    Empty,

    /// <summary>The period ends after the coordinator's clock (beyond the allowed skew).</summary>
    InFuture,

    /// <summary>The period is longer than one report may cover.</summary>
    TooLong,

    /// <summary>The period starts before the lease started.</summary>
    BeforeStart,

    /// <summary>The GPU count or share differs from the lease's.</summary>
    GpuMismatch,

    /// <summary>The signature is not the host operator's over this report.</summary>
    BadSignature,

    /// <summary>Another report was already stored under this lease, attempt and sequence number.</summary>
    SequenceReused,
}
