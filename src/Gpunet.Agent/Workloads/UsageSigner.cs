using Gpunet.Core.Identity;
using Gpunet.Core.Metering;
using Gpunet.Protocol;

namespace Gpunet.Agent.Workloads;

/// <summary>Signs the agent's usage reports with the host operator's key, for the host id and network of the latest
/// registration.</summary>
/// <remarks>Thread-safe. Before the first registration there is nothing to sign for (no lease runs yet).</remarks>
public sealed class UsageSigner(Wallet wallet)
{
    private volatile Registration? _registration;

    /// <summary>Records who the coordinator said this host is, and on which network.</summary>
    public void Registered(string hostId, string network) => _registration = new Registration(hostId, network);

    /// <summary>A signed report of [<paramref name="fromMs"/>, <paramref name="toMs"/>) of the lease's
    /// <paramref name="attempt"/>th placement; null before the first registration.</summary>
    public UsageReport? Sign(string leaseId, int attempt, long fromMs, long toMs, int gpus, int gpuMilli, long sequence)
    {
        if (_registration is not { } r)
            return null;
        var statement = new UsageStatement(leaseId, r.HostId, fromMs, toMs, gpus, gpuMilli, sequence, attempt);
        return new UsageReport
        {
            LeaseId = leaseId,
            Attempt = attempt,
            HostId = r.HostId,
            FromUnixMs = fromMs,
            ToUnixMs = toMs,
            Gpus = gpus,
            GpuMilli = gpuMilli,
            Sequence = sequence,
            Signature = wallet.Sign(statement.ToCanonical(r.Network, wallet.Address)),
        };
    }

    private sealed record Registration(string HostId, string Network);
}
