using System.Globalization;

namespace Gpunet.Cli.Doctor;

/// <summary>Free space where the agent keeps its key and its leases' folders (each lease's files and output, kept for
/// <c>--lease-retention</c>, a day by default, after it ends).</summary>
internal static class DiskCheck
{
    public const string Name = "disk";

    /// <summary>Below this the agent cannot be expected to keep a day of leases' output: fail.</summary>
    public static long FailBelowBytes { get; } = 1L << 30;

    /// <summary>Below this a few busy leases fill it: warn.</summary>
    public static long WarnBelowBytes { get; } = 10L << 30;

    public static DoctorCheck Evaluate(string path, long? freeBytes)
    {
        const string Fix = "free space there, or point GPUNET_HOME at a larger file system";
        if (freeBytes is not { } free)
            return DoctorCheck.Warn(Name, $"cannot read the free space for {path}", "check that the folder can be created and read by the agent's user");
        var detail = $"{Gib(free)} GiB free for {path}";
        return free < FailBelowBytes ? DoctorCheck.Fail(Name, $"{detail}: leases' files and output need at least {Gib(FailBelowBytes)} GiB", Fix)
            : free < WarnBelowBytes ? DoctorCheck.Warn(Name, $"{detail}: under {Gib(WarnBelowBytes)} GiB, a few busy leases fill it", Fix)
            : DoctorCheck.Ok(Name, detail);
    }

    private static string Gib(long bytes) => (bytes / (double)(1L << 30)).ToString("0.#", CultureInfo.InvariantCulture);
}
