namespace Gpunet.Core.Verification;

/// <summary>How one check ends.</summary>
public enum MajorityOutcome
{
    /// <summary>N+1 assigned checkers report a pass.</summary>
    Passed,

    /// <summary>N+1 assigned checkers report a fail.</summary>
    Failed,

    /// <summary>Neither side has N+1 (reports missing or split): no consequence for the host or any checker; the
    /// coordinator re-assigns the check to fresh checkers.</summary>
    Undecided,
}
