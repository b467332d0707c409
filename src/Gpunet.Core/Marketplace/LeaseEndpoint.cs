using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Gpunet.Core.Marketplace;

/// <summary>Where a customer connects to a running lease: the host's address and the port its agent gave the lease,
/// <c>ADDRESS:PORT</c> (an IPv6 address in brackets).</summary>
public static class LeaseEndpoint
{
    /// <summary>Whether a lease of <paramref name="kind"/> gets an endpoint: a session or service always (its agent gives
    /// it a port of its own), a job only when its order named a port to publish.</summary>
    public static bool IsExpected(WorkloadKind kind, int? orderPort) => kind != WorkloadKind.Job || orderPort is not null;

    /// <summary>The endpoint for <paramref name="port"/> on a host that declares <paramref name="declaredPublicIp"/> and
    /// whose agent connects from <paramref name="connection"/>; null when the port is not 1..65535 or no address is
    /// known.</summary>
    /// <remarks>The address the agent's stream comes from, as the coordinator saw it, as checkers probe the host: a
    /// declared address is the agent's word, and customers sent there could be sent to someone else's machine. The
    /// declared public IP is used only when no connection address is known. The port is an agent's word and taken as
    /// nothing more than a port number.</remarks>
    public static string? Of(string? declaredPublicIp, IPAddress? connection, int port)
    {
        if (port is < 1 or > 65535)
            return null;
        var address = connection ?? (IPAddress.TryParse(declaredPublicIp, out var declared) ? declared : null);
        if (address is null)
            return null;
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        var text = port.ToString(CultureInfo.InvariantCulture);
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return $"{address}:{text}";
        // A zone (fe80::1%eth0) names the coordinator's own interface, which means nothing to a customer.
        var bare = new IPAddress(address.GetAddressBytes());
        return $"[{bare}]:{text}";
    }
}
