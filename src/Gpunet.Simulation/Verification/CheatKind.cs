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
}
