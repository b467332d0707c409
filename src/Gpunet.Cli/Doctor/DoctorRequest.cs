using Gpunet.Agent.Workloads;

namespace Gpunet.Cli.Doctor;

/// <summary>What <c>gpunet doctor</c> checks the host for: the agent's settings as it would run.</summary>
/// <param name="NvidiaSmi">The agent's <c>--nvidia-smi</c>.</param>
/// <param name="Coordinator">The coordinator to compare with; null: none (the clock is then judged by NTP).</param>
/// <param name="ProbePort">The agent's <c>--probe-port</c> (0: ephemeral).</param>
/// <param name="LeasePorts">The agent's <c>--lease-ports</c>.</param>
/// <param name="WorkDirectory">Where the agent keeps its key and leases (<c>$GPUNET_HOME</c>).</param>
internal sealed record DoctorRequest(string NvidiaSmi, Uri? Coordinator, int ProbePort, LeasePortRange LeasePorts, string WorkDirectory);
