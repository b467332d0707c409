namespace Gpunet.Cli.Doctor;

/// <summary>The process runtime's sandbox (bubblewrap), and the egress filter that keeps leases off this host's and local
/// networks. The agent sets no cgroups of its own (memory is watched through /proc), so there are none to check.</summary>
internal static class SandboxCheck
{
    public const string Name = "sandbox";

    /// <param name="dockerReachable">Whether the Docker runtime can run leases instead (<see cref="DockerCheck"/>).</param>
    public static DoctorCheck Evaluate(SandboxState sandbox, bool dockerReachable)
    {
        if (sandbox.Unavailable is { } why)
        {
            const string Fix = "install bubblewrap (Debian: apt-get install bubblewrap); where unprivileged user namespaces are off, turn them on (sysctl kernel.unprivileged_userns_clone=1)";
            var detail = $"process leases are refused: {why}";
            return dockerReachable ? DoctorCheck.Warn(Name, detail, Fix) : DoctorCheck.Fail(Name, $"{detail}; and no Docker Engine runs leases instead", Fix);
        }

        if (!sandbox.UidPerLease)
        {
            return DoctorCheck.Warn(Name, "bubblewrap works, but leases run as this user in a user namespace: nothing keeps them from this host's and local networks",
                "run the agent as root: each lease then runs as a uid of its own, kept off local networks by nftables");
        }

        return sandbox.EgressGap is { } gap
            ? DoctorCheck.Warn(Name, $"bubblewrap works, each lease as a uid of its own, but leases are not kept from this host's and local networks: {gap}", "install nftables (Debian: apt-get install nftables)")
            : DoctorCheck.Ok(Name, "bubblewrap works: each lease runs as a uid of its own, kept off this host's and local networks");
    }
}
