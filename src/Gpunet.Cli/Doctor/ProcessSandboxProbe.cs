using Gpunet.Agent.Workloads;

namespace Gpunet.Cli.Doctor;

/// <summary>Asks the agent's own <see cref="ProcessRuntime"/>, which runs <c>true</c> in the sandbox once.</summary>
/// <remarks>The egress filter is not installed here (that changes the host's firewall): only whether <c>nft</c>, which
/// installs it, is there.</remarks>
internal sealed class ProcessSandboxProbe(TimeProvider time) : ISandboxProbe
{
    public SandboxState Inspect()
    {
        var root = Directory.CreateTempSubdirectory("gpunet-doctor-").FullName;
        try
        {
            var runtime = new ProcessRuntime(root, time);
            if (!runtime.IsAvailable(out var reason))
                return new SandboxState(reason, false, null);
            var uidPerLease = runtime.Isolation == ProcessIsolation.UidPerLease;
            var egress = uidPerLease && ProgramPath.Find("nft") is null ? "nft is not installed (Debian: apt-get install nftables)" : null;
            return new SandboxState(null, uidPerLease, egress);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
