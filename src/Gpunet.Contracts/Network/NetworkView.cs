using System.ComponentModel;

namespace Gpunet.Contracts.Network;

// What <c>GET /api/v1/network</c> answers: the network id, host counts by state and the GPU count.
public sealed record NetworkView(string Network, string Version, int Hosts, IReadOnlyDictionary<string, int> HostsByState,
    int Gpus, double HeartbeatIntervalSeconds, double HeartbeatsPerSecond, bool OfflineTransitionsHeld, string? HeldReason,
    [property: Description("Where agents open their gRPC stream (cleartext HTTP/2)")] string AgentUrl);
