using System.Net;
using System.Net.Sockets;

namespace Gpunet.Core.Identity;

/// <summary>Who is asking, for per-client limits: a client's IPv4 address, or the /64 network of an IPv6 one.</summary>
/// <remarks>One IPv6 subscriber is usually given a whole /64 (RFC 6177), so counting single IPv6 addresses would let
/// one client rotate through 2^64 of them. An IPv4-mapped IPv6 address counts as its IPv4 address.</remarks>
public static class ClientSource
{
    /// <summary>The key of a client whose address is not known (not a socket connection).</summary>
    public const string Unknown = "unknown";

    /// <summary>The limit key of <paramref name="address"/>: <c>198.51.100.7</c>, or <c>2001:db8:1:2::/64</c>.</summary>
    public static string Of(IPAddress? address)
    {
        if (address is null)
            return Unknown;
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return address.ToString();
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return $"{new IPAddress(bytes)}/64";
    }
}
