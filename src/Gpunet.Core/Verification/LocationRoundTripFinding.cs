namespace Gpunet.Core.Verification;

/// <summary>What the round trips say about a host's declared place.</summary>
public enum LocationRoundTripFinding
{
    /// <summary>No round trips yet: the place is as unconfirmed as before.</summary>
    Unmeasured,

    /// <summary>The declared place lies inside every checker's bounds.</summary>
    Consistent,

    /// <summary>The declared place breaks at least one checker's bound: flagged for compliance with the evidence.</summary>
    Inconsistent,
}
