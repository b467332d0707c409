namespace Gpunet.Cli.Doctor;

/// <summary>One finding of <c>gpunet doctor</c>: what was checked, how it came out, what was seen and what to do.</summary>
/// <param name="Name">The check's stable name (<c>gpu</c>, <c>clock</c>, <c>disk</c>, …), for scripts.</param>
/// <param name="Fix">What to do about a warning or a failure; null when there is nothing to do.</param>
internal sealed record DoctorCheck(string Name, DoctorStatus Status, string Detail, string? Fix = null)
{
    public static DoctorCheck Ok(string name, string detail) => new(name, DoctorStatus.Ok, detail);

    public static DoctorCheck Warn(string name, string detail, string fix) => new(name, DoctorStatus.Warn, detail, fix);

    public static DoctorCheck Fail(string name, string detail, string fix) => new(name, DoctorStatus.Fail, detail, fix);
}
