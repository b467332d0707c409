using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Network;

// What <c>GET /api/v1/network</c> answers: the network id, host counts by state, the GPU count and who leads.
public sealed record NetworkView([property: MaxLength(TextLimits.Label)] string Network, [property: MaxLength(TextLimits.Version)] string Version, int Hosts, IReadOnlyDictionary<string, int> HostsByState,
    int Gpus, double HeartbeatIntervalSeconds, double HeartbeatsPerSecond, bool OfflineTransitionsHeld, [property: MaxLength(TextLimits.Reason)] string? HeldReason,
    [property: Description("Where agents open their gRPC stream (cleartext HTTP/2)"), MaxLength(TextLimits.Url)] string AgentUrl,
    [property: Description("The coordinator that leads the network (runs settlement, host transitions, the compliance sweep and the market's time-outs); null before one was elected"), MaxLength(128)] string? Leader = null,
    [property: Description("The leader lease's fencing token: one more each time leadership changes hands")] long? LeaderToken = null,
    [property: Description("This coordinator's id in the leader election"), MaxLength(128)] string? Coordinator = null);
