namespace Gpunet.Simulation.Verification;

/// <summary>What the run counted as it went.</summary>
internal sealed class VerificationTally
{
    public long LivenessChecks { get; set; }

    public long CapacityChecks { get; set; }

    public long HoneypotChecks { get; set; }

    /// <summary>Checks of planted hosts.</summary>
    public long PlantedChecks { get; set; }

    public long Reports { get; set; }

    public long Reassigned { get; set; }

    public long Undecided { get; set; }

    /// <summary>Reports against a decided majority that <c>DissentRules</c> found could be honest: not marked.</summary>
    public long DissentsNotMarked { get; set; }

    /// <summary>Capacity fails against a passing majority that the passers' own timings back (<c>TimingFailBacking</c>):
    /// not marked, not counted as fail dissents.</summary>
    public long BackedTimingFails { get; set; }

    /// <summary>Decided checks of honest hosts.</summary>
    public long HonestChecks { get; set; }

    /// <summary>Of those, failed while the host was up and answering truly.</summary>
    public long HonestChecksFailed { get; set; }

    public long HonestCapacityChecksFailed { get; set; }

    /// <summary>Capacity checks whose first panel split and went to a second (<c>PanelRules</c>), by how both panels
    /// decided them.</summary>
    public long EscalatedPassed { get; set; }

    public long EscalatedFailed { get; set; }

    public long EscalatedUndecided { get; set; }

    /// <summary>Split first panels whose only fails came from checkers held back (<c>FailDissentPolicy</c>): the first panel
    /// decided.</summary>
    public long SplitsHeldBack { get; set; }

    /// <summary>Split first panels with too few other checkers for a second: the first panel decided.</summary>
    public long SplitsWithoutSecondPanel { get; set; }

    /// <summary>Counts an escalated check by how both panels decided it.</summary>
    public void Escalated(Core.Verification.MajorityOutcome outcome)
    {
        if (outcome == Core.Verification.MajorityOutcome.Passed)
            EscalatedPassed++;
        else if (outcome == Core.Verification.MajorityOutcome.Failed)
            EscalatedFailed++;
        else
            EscalatedUndecided++;
    }

    public int Slashes { get; set; }

    public decimal SlashedTokens { get; set; }
}
