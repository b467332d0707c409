namespace Gpunet.Cli.Doctor;

/// <summary>Every check of one <c>gpunet doctor</c> run, in the order they are shown.</summary>
internal sealed record DoctorReport(IReadOnlyList<DoctorCheck> Checks)
{
    /// <summary>True when no check failed: the host may join (warnings say what works less well).</summary>
    public bool Ok => Checks.All(c => c.Status != DoctorStatus.Fail);
}
