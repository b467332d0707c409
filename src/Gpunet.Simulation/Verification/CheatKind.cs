namespace Gpunet.Simulation.Verification;

/// <summary>How a simulated host cheats on its capacity or identity (location spoofing is apart: any host may lie about
/// its place).</summary>
public enum CheatKind
{
    /// <summary>It does not: an honest host.</summary>
    None,

    /// <summary>A slower card than the model it claims.</summary>
    WeakerCard,

    /// <summary>Fewer GPUs than it claims.</summary>
    FewerGpus,

    /// <summary>Returns products with wrong rows (made up, or a faulty card), in time.</summary>
    WrongAnswers,

    /// <summary>Its hardware fingerprint is cloned onto a second machine elsewhere, both live at once.</summary>
    ClonedFingerprint,

    /// <summary>Lists a GPU that another operator's host already holds.</summary>
    DoubleListedGpu,

    /// <summary>A slower card than the model it claims that answers every row, late, and delays its answers to a
    /// capacity check's pings (it knows them: every probe names its check's kind) so that the timing allowance, 1.3 ×
    /// the round trip, covers its lateness; liveness pings it answers promptly, as a host that wants to count as up
    /// must.</summary>
    DelayedPing,
}
