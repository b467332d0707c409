namespace Gpunet.Core.Verification;

/// <summary>Why a host's probe endpoint refused a request.</summary>
public enum ProbeRefusalReason
{
    /// <summary>The request is malformed: a missing or invalid field, a payload too large.</summary>
    Malformed,

    /// <summary>The host is not registered yet, so it knows neither its host id nor its network.</summary>
    NotRegistered,

    /// <summary>The coordinator did not announce the check to this host (or the table has dropped it).</summary>
    NotAnnounced,

    /// <summary>The check was announced, but its time is over.</summary>
    Expired,

    /// <summary>The signer is not one of the check's assigned checkers.</summary>
    NotAssigned,

    /// <summary>The signed timestamp is too far from the host's clock.</summary>
    Stale,

    /// <summary>The signature does not recover to the checker over this check, host, kind and network.</summary>
    BadSignature,

    /// <summary>The call does not belong to the check's kind (a download on a liveness check).</summary>
    WrongKind,

    /// <summary>A capacity start asking for other work than the coordinator announced.</summary>
    WrongWork,

    /// <summary>A second capacity start by the same checker for the same check.</summary>
    Replayed,

    /// <summary>More pings from one checker for one check than any check needs (<see cref="ProbeAdmission.MaxPingsPerChecker"/>).</summary>
    TooManyPings,
}
