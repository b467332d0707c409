using System.Net;
using System.Net.Sockets;

namespace Gpunet.Core.Identity;

/// <summary>Whether an IP address is on the public internet: what a URL a participant gives the coordinator to call (an
/// alert webhook) may reach. Anything else would let a participant make the coordinator call its own network: the
/// loopback, private networks (RFC 1918, RFC 4193), carrier-grade NAT, link-local (a cloud's metadata service at
/// 169.254.169.254), and addresses that are not a host's.</summary>
public static class PublicAddresses
{
    private static readonly (IPAddress Network, int Bits)[] NotPublic =
    [
        (IPAddress.Parse("0.0.0.0"), 8),
        (IPAddress.Parse("10.0.0.0"), 8),
        (IPAddress.Parse("100.64.0.0"), 10),
        (IPAddress.Parse("127.0.0.0"), 8),
        (IPAddress.Parse("169.254.0.0"), 16),
        (IPAddress.Parse("172.16.0.0"), 12),
        (IPAddress.Parse("192.0.0.0"), 24),
        (IPAddress.Parse("192.168.0.0"), 16),
        (IPAddress.Parse("198.18.0.0"), 15),
        (IPAddress.Parse("224.0.0.0"), 4),
        (IPAddress.Parse("240.0.0.0"), 4),
        (IPAddress.Parse("::"), 128),
        (IPAddress.Parse("::1"), 128),
        (IPAddress.Parse("64:ff9b::"), 96),
        (IPAddress.Parse("fc00::"), 7),
        (IPAddress.Parse("fe80::"), 10),
        (IPAddress.Parse("ff00::"), 8),
    ];

    /// <summary>True when <paramref name="address"/> is a public unicast address (an IPv4-mapped IPv6 address is judged
    /// as its IPv4 address).</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
            return false;
        foreach (var (network, bits) in NotPublic)
        {
            if (network.AddressFamily == address.AddressFamily && Within(address, network, bits))
                return false;
        }

        return true;
    }

    private static bool Within(IPAddress address, IPAddress network, int bits)
    {
        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        var whole = bits / 8;
        for (var i = 0; i < whole; i++)
        {
            if (a[i] != n[i])
                return false;
        }

        var rest = bits % 8;
        return rest == 0 || (a[whole] >> (8 - rest)) == (n[whole] >> (8 - rest));
    }
}
