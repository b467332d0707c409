namespace Gpunet.Agent.Probe;

/// <summary>Who this host is for the probe endpoint: the host id and network of its latest registration, which every
/// probe signature must name.</summary>
/// <remarks>Thread-safe: one immutable pair swapped atomically.</remarks>
internal sealed class ProbeIdentity
{
    private volatile Registration? _registration;

    /// <summary>The host id; null before the first registration.</summary>
    public string? HostId => _registration?.HostId;

    /// <summary>The network; null before the first registration.</summary>
    public string? Network => _registration?.Network;

    /// <summary>Both, read together.</summary>
    public (string? HostId, string? Network) Current => _registration is { } r ? (r.HostId, r.Network) : (null, null);

    /// <summary>Records who the coordinator said this host is, and on which network.</summary>
    public void Registered(string hostId, string network) => _registration = new Registration(hostId, network);

    private sealed record Registration(string HostId, string Network);
}
