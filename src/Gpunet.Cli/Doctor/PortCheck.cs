using System.Globalization;
using Gpunet.Agent.Workloads;

namespace Gpunet.Cli.Doctor;

/// <summary>The ports the agent listens on: its probe endpoint, where assigned checkers verify the host, and the lease
/// ports, one per session or service.</summary>
internal static class PortCheck
{
    public const string ProbeName = "probe-port";
    public const string LeaseName = "lease-ports";

    // Enough to find them with ss; the count says how many more.
    private const int NamedTaken = 5;

    /// <param name="port">The agent's <c>--probe-port</c>; 0 is an ephemeral port, which is always free.</param>
    /// <param name="free">Whether nothing listens on it now.</param>
    public static DoctorCheck Probe(int port, bool free) =>
        port == 0 ? DoctorCheck.Ok(ProbeName, "an ephemeral port (--probe-port 0): the agent takes a free one and tells the coordinator")
        : free ? DoctorCheck.Ok(ProbeName, $"port {port} is free (checkers connect to it: open it to them)")
        : DoctorCheck.Fail(ProbeName, $"port {port} is in use by another program: the agent cannot start its probe endpoint",
            $"stop what listens on it (ss -ltnp 'sport = :{port}' names it), or give the agent another --probe-port");

    /// <param name="range">The agent's <c>--lease-ports</c>.</param>
    /// <param name="taken">The ports of <paramref name="range"/> something listens on now, ascending.</param>
    public static DoctorCheck Lease(LeasePortRange range, IReadOnlyList<int> taken)
    {
        if (taken.Count == 0)
            return DoctorCheck.Ok(LeaseName, $"all {range.Count} lease ports {range} are free");
        const string OwnRange = "give the agent a free range of its own: --lease-ports FIRST-LAST";
        if (taken.Count >= range.Count)
            return DoctorCheck.Fail(LeaseName, $"every lease port {range} is in use: sessions and services cannot be given one", OwnRange);
        var named = string.Join(", ", taken.Take(NamedTaken).Select(p => p.ToString(CultureInfo.InvariantCulture)))
            + (taken.Count > NamedTaken ? ", …" : "");
        return DoctorCheck.Warn(LeaseName, $"{taken.Count} of {range.Count} lease ports {range} are in use ({named}): the agent skips them",
            $"stop what listens on them, or {OwnRange}");
    }
}
